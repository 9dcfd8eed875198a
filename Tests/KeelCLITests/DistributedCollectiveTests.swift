import Foundation
import XCTest
import KeelTestSupport

/// The Distributed API between real processes: the built keel runs CollectiveProbe as the ranks
/// of an mpirun job on this host (Open MPI's shared-memory transport), and once on its own.
final class DistributedCollectiveTests: XCTestCase {
    private var keel: KeelProcess!
    private var probe: URL!

    override func setUpWithError() throws {
        keel = KeelProcess()
        probe = try keel.plugin("CollectiveProbe", ["CollectiveProbe.swift": CollectiveProbe.source])
    }

    override func tearDown() { keel.remove() }

    /// The plugin is compiled by the first run (ranks wait for one compile, but a cold compile
    /// takes a while on a busy machine): the time-outs leave room for it.
    private func ranks(_ count: Int, case name: String, environment: [String: String] = [:], timeout: Double = 240) throws -> MPIJobResult {
        try MPIJob.run(keel, ranks: count, ["run", probe.path, "--set", "case=\(name)", "--run-dir", "run-\(name)-{rank}"],
                       environment: environment, timeout: timeout)
    }

    func testOneProcessWithoutMpirunIsRankZeroOfOneAndNeverLoadsMPI() throws {
        let result = try keel.run(["run", probe.path, "--set", "case=single", "--run-dir", "single"],
                                  environment: ["OMPI_COMM_WORLD_SIZE": nil, "OMPI_COMM_WORLD_RANK": nil])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let got = CollectiveProbe.values(result.stdout)
        XCTAssertEqual(CollectiveProbe.numbers(got["place"]), [0, 1, 0, 1], result.stdout)
        XCTAssertEqual(got["active"], "false")
        XCTAssertEqual(got["libmpi"], "absent", "libmpi was mapped into a process that mpirun did not start")
        XCTAssertEqual(got["libmpi-after"], "absent", "a collective of a single process loaded libmpi")
        XCTAssertEqual(CollectiveProbe.numbers(got["tensor-sum"]), [3, 4])
        XCTAssertEqual(CollectiveProbe.numbers(got["double-average"]), [2.5])
        XCTAssertEqual(CollectiveProbe.numbers(got["gather.shape"]), [1, 2])
        XCTAssertEqual(CollectiveProbe.numbers(got["gather"]), [5, 6])
        XCTAssertEqual(got["broadcast-bytes"], "solo")
        XCTAssertEqual(got["done"], "rank 0")
    }

    func testCollectivesOnTwoRanks() throws {
        let job = try ranks(2, case: "collectives")
        CollectiveProbe.checkCollectives(job, size: 2)
        for (r, output) in job.ranks.enumerated() {
            let got = CollectiveProbe.values(output.stdout)
            XCTAssertEqual(CollectiveProbe.numbers(got["place"]), [Double(r), 2, Double(r), 2], "one host: local rank = rank")
            XCTAssertEqual(got["shared-memory"], "yes", "ranks on one host talk through Open MPI's shared memory (vader)")
        }
    }

    func testCollectivesOnThreeRanks() throws {
        let job = try ranks(3, case: "collectives")
        CollectiveProbe.checkCollectives(job, size: 3)
        for (r, output) in job.ranks.enumerated() {
            XCTAssertEqual(CollectiveProbe.numbers(CollectiveProbe.values(output.stdout)["place"]), [Double(r), 3, Double(r), 3])
        }
    }

    /// Gradients applied without `optimizer.gradients(of:wrt:from:)` are averaged too, whether the
    /// variables share one bucket or each has its own (KEEL_FUSION_THRESHOLD=0): two SGD steps
    /// with rate 1 of the ranks' mean gradient.
    func testApplyAveragesGradientsComputedElsewhere() throws {
        for threshold in ["0", "1048576"] {
            let job = try ranks(3, case: "apply", environment: ["KEEL_FUSION_THRESHOLD": threshold])
            XCTAssertEqual(job.status, 0, job.transcript)
            // Mean over ranks 0, 1, 2: a's gradient [1, 1, 2], b's [1, 1, 0, 1].
            for output in job.ranks {
                let got = CollectiveProbe.values(output.stdout)
                XCTAssertEqual(CollectiveProbe.numbers(got["a"]), [-2, -2, -4], "threshold \(threshold)\n\(job.transcript)")
                XCTAssertEqual(CollectiveProbe.numbers(got["b"]), [-2, -2, 0, -2], "threshold \(threshold)\n\(job.transcript)")
            }
        }
    }

    /// Rank 1 holds a different variable list; rank 2 agrees with rank 0 but must stop too
    /// rather than wait for the values until the time-out.
    func testBroadcastOfDifferentVariableListsFailsOnEveryRank() throws {
        let job = try ranks(3, case: "mismatched-variables", environment: ["KEEL_DISTRIBUTED_TIMEOUT": "60"])
        XCTAssertNotEqual(job.status, 0, job.transcript)
        XCTAssertFalse(job.timedOut, job.transcript)
        XCTAssertLessThan(job.seconds, 200, "the error must not wait for the time-out")
        let mismatch = job.ranks[1].stderr
        for fragment in ["broadcast of variables on rank 1", "the variables rank 0 has", "probe/offset", "probe/bias"] {
            XCTAssertTrue(mismatch.contains(fragment), "rank 1's error lacks '\(fragment)':\n\(job.transcript)")
        }
        for r in [0, 2] {
            let error = job.ranks[r].stderr
            XCTAssertTrue(error.contains("broadcast of variables on rank \(r)") && error.contains("a different list on rank 1"),
                          "rank \(r) names the disagreeing rank:\n\(job.transcript)")
        }
        for output in job.ranks { XCTAssertFalse(output.stdout.contains("not-reached"), job.transcript) }
        XCTAssertFalse(job.transcript.contains("no answer after"), "a rank waited for the time-out:\n\(job.transcript)")
    }

    func testAllgatherOfDisagreeingShapesFailsOnEveryRank() throws {
        let job = try ranks(2, case: "allgather-shapes", environment: ["KEEL_DISTRIBUTED_TIMEOUT": "60"])
        XCTAssertNotEqual(job.status, 0, job.transcript)
        XCTAssertFalse(job.timedOut, job.transcript)
        for output in job.ranks {
            for fragment in ["distributed allgather", "shapes agree after the first dimension", "[*, 2:float32]", "[*, 3:float32]"] {
                XCTAssertTrue(output.stderr.contains(fragment), "a rank's error lacks '\(fragment)':\n\(job.transcript)")
            }
            XCTAssertFalse(output.stdout.contains("not-reached"), job.transcript)
        }
    }

    /// Rank 1 never calls the barrier: rank 0 gives up after KEEL_DISTRIBUTED_TIMEOUT with a
    /// message naming the operation, and mpirun ends the job.
    func testARankThatNeverJoinsACollectiveEndsTheJobWithTheTimeOutMessage() throws {
        let job = try ranks(2, case: "skip", environment: ["KEEL_DISTRIBUTED_TIMEOUT": "2"])
        XCTAssertNotEqual(job.status, 0, job.transcript)
        XCTAssertFalse(job.timedOut, "the job hung until the test's own time-out:\n\(job.transcript)")
        let error = job.ranks[0].stderr
        for fragment in ["barrier that rank 1 skips on rank 0 of 2", "within 2 s (KEEL_DISTRIBUTED_TIMEOUT)", "no answer after"] {
            XCTAssertTrue(error.contains(fragment), "rank 0's error lacks '\(fragment)':\n\(job.transcript)")
        }
        XCTAssertFalse(job.ranks[0].stdout.contains("probe passed"), job.transcript)
        XCTAssertTrue(job.ranks[1].stdout.contains("probe passed=rank 1"), job.transcript)
    }
}
