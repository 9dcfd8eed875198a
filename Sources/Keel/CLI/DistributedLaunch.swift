import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `keel run --distributed` and `keel resume` join the job mpirun started: one process per
/// rank, rank 0 speaking for the job. The other ranks' standard output goes to /dev/null (their
/// progress bars, experiment logs and warnings would repeat rank 0's); their errors still reach
/// standard error, each naming its rank.
enum DistributedLaunch {
    /// Joins the job if mpirun started this process; `announce` says in one line when it did not
    /// (`keel run --distributed` on its own trains on one process).
    static func join(announce: Bool) throws {
        try Distributed.initialize()
        if announce && ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] == nil {
            print("Not started by mpirun: training on this one process (`mpirun -np N keel run ... --distributed` trains on N).")
        }
        if !Distributed.isRoot {
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 {
                fflush(stdout)
                dup2(null, STDOUT_FILENO)
                close(null)
            }
        }
    }

    /// The runner for this rank: rank 0 prints and warns, the others keep quiet.
    static func runner(distributed: Bool) -> ExperimentRunner {
        var runner = Distributed.isRoot ? ExperimentRunner() : ExperimentRunner(output: { _ in }, warn: { _ in })
        runner.distributed = distributed
        return runner
    }
}
