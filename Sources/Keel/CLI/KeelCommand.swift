import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The root of the `keel` command line. The launcher calls `keel_main`, which runs this.
struct KeelCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "keel",
            abstract: "Keel: Keras-shaped deep-learning experiments in Swift.",
            version: versionText(),
            subcommands: [RunCommand.self, ResumeCommand.self, ListCommand.self, RunsCommand.self, SummaryCommand.self, PredictCommand.self,
                          EvaluateCommand.self, FitCommand.self, PlotCommand.self, DoctorCommand.self, BenchCommand.self]
        )
    }

    static func versionText() -> String {
        "keel \(KeelVersion.string) (BLAS: OpenBLAS core \(BLAS.coreName), \(BLAS.threading), \(BLAS.threadCount) thread\(BLAS.threadCount == 1 ? "" : "s"))"
    }
}

@_cdecl("keel_main")
public func keelMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    let arguments = (1..<Int(argc)).map { String(cString: argv[$0]!) }
    // Piped or redirected, stdout would be block-buffered while progress bars write straight to
    // the file descriptor: "Run directory:" and the model summary would come out after training.
    setvbuf(stdout, nil, _IOLBF, 0)
    // A distributed run leaves its MPI session cleanly whichever way the command ends.
    defer { Distributed.finalize() }
    do {
        if let experiment = ExperimentHelp.requestedExperiment(arguments) {
            // ArgumentParser's help knows `run`'s flags, not the hyper-parameters of experiment X.
            print(try ExperimentHelp.runHelp(for: experiment))
            return 0
        }
        var command = try KeelCommand.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        let code = KeelCommand.exitCode(for: error)
        let message = KeelCommand.fullMessage(for: error)
        if !message.isEmpty {
            if code == .success { print(message) } else { printError(message) }
        }
        // This rank has said why it stops: mpirun ending it while it leaves MPI must not add
        // "stopped by mpirun" as if another rank were the cause.
        if code != .success && Distributed.isActive { TerminationNotice.silence() }
        return code.rawValue
    }
}
