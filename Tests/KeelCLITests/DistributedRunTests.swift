import Foundation
import XCTest
import KeelTestSupport

/// What `mpirun -np N keel run <experiment> --distributed` gives a user: one run directory,
/// written by rank 0 only and shaped as a one-process run's; quiet other ranks that leave
/// nothing behind; `keel resume` on the same or another number of ranks; and a killed rank
/// ending the job with a clear message instead of a hang. Every mpirun has a time-out.
final class DistributedRunTests: XCTestCase {
    private var keel: KeelProcess!
    /// The ranks' TMPDIR, where the non-zero ranks keep their scratch directories.
    private var temporary: URL!

    override func setUpWithError() throws {
        keel = KeelProcess()
        temporary = keel.directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDown() { keel.remove() }

    private let fashion = ["fashion-mlp", "--set", "epochs=3", "--set", "train_samples=600", "--set", "validation_samples=120",
                           "--set", "units=16", "--set", "patience=10"]

    private var environment: [String: String?] {
        ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "TMPDIR": temporary.path,
         "KEEL_DISTRIBUTED_TIMEOUT": "60", "OMPI_MCA_btl_vader_single_copy_mechanism": "none"]
    }

    /// `timeout mpirun -np <ranks> keel <arguments>` (the time-out ends a hung job).
    private func mpirunCommand(_ ranks: Int, _ arguments: [String], seconds: Int = 400) -> [String] {
        ["-k", "10", String(seconds), "mpirun", "--oversubscribe", "-np", String(ranks), ProjectPaths.keelExecutable.path] + arguments
    }

    private func mpirun(_ ranks: Int, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"), mpirunCommand(ranks, arguments),
                                    environment: environment, currentDirectory: keel.directory)
        XCTAssertEqual(result.status, 0, "mpirun -np \(ranks) keel \(arguments.joined(separator: " ")):\n\(result.stdout)\n\(result.stderr)",
                       file: file, line: line)
        return result
    }

    /// Like `mpirun`, without requiring success.
    private func mpirunResult(_ ranks: Int, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"), mpirunCommand(ranks, arguments, seconds: 200),
                       environment: environment, currentDirectory: keel.directory)
    }

    private func text(_ relative: String) throws -> String {
        try String(contentsOfFile: keel.path(relative), encoding: .utf8)
    }

    private func csvRows(_ relative: String) throws -> [[String]] {
        try text(relative).components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    /// Scratch directories of the other ranks: none once a job ended.
    private func assertNoScratchLeft(file: StaticString = #filePath, line: UInt = #line) {
        let scratch = temporary.appendingPathComponent("keel-ranks").path
        let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []
        XCTAssertEqual(left, [], "scratch directories left in \(scratch)", file: file, line: line)
    }

    func testTwoRanksWriteOneRunDirectoryShapedAsAOneProcessRun() throws {
        let result = try mpirun(2, ["run"] + fashion + ["--distributed"])
        let runs = try FileManager.default.contentsOfDirectory(atPath: keel.path("runs/fashion-mlp"))
        XCTAssertEqual(runs.count, 1, "one run directory: \(runs)")
        let run = "runs/fashion-mlp/\(runs[0])"
        // Rank 0 alone prints: one run directory line, one summary, one progress line per epoch.
        XCTAssertEqual(result.stdout.components(separatedBy: "Run directory: ").count - 1, 1, result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "Total params").count - 1, 1, result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "Epoch 2/3").count - 1, 1, result.stdout)
        XCTAssertFalse(result.stderr.contains("rank 1"), result.stderr)
        XCTAssertFalse(result.stderr.contains("warning"), result.stderr)
        let config = try text("\(run)/config.json")
        XCTAssertTrue(config.contains("\"distributed\": {\"ranks\": 2}"), config)
        XCTAssertTrue(try text("\(run)/status.json").contains("finished"))
        for file in ["model.h5", "summary.txt", "checkpoints/epoch_03.h5", "plots"] {
            XCTAssertTrue(keel.exists("\(run)/\(file)"), file)
        }
        assertNoScratchLeft()

        try keel.succeed(["run"] + fashion + ["--run-dir", "single"])
        let distributed = try csvRows("\(run)/log.csv"), single = try csvRows("single/log.csv")
        XCTAssertEqual(distributed.first, single.first, "the same columns")
        XCTAssertEqual(distributed.map { $0.first }, single.map { $0.first }, "the same epochs")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: keel.path("\(run)/checkpoints")).sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: keel.path("single/checkpoints")).sorted())
    }

    /// `--distributed` without mpirun trains on one process and says so.
    func testDistributedWithoutMpirunRunsOneProcess() throws {
        let result = try keel.succeed(["run", "fashion-mlp", "--set", "epochs=1", "--set", "train_samples=200", "--set", "validation_samples=50",
                                       "--set", "units=8", "--distributed", "--run-dir", "alone"])
        XCTAssertTrue(result.stdout.contains("Not started by mpirun: training on this one process"), result.stdout)
        XCTAssertTrue(try text("alone/config.json").contains("\"distributed\": {\"ranks\": 1}"))
    }

    /// The fault test: rank 1 killed with SIGKILL in the middle of epoch 2 ends the job within
    /// the time-out with a message from rank 0; `mpirun -np 2 keel resume` then finishes the run
    /// exactly as the uninterrupted job does, and a resume on one process says what changes.
    func testKilledRankEndsTheJobAndResumeContinues() throws {
        let long = ["fashion-mlp", "--set", "epochs=3", "--set", "train_samples=3000", "--set", "validation_samples=200",
                    "--set", "units=16", "--set", "patience=10", "--distributed"]
        try mpirun(2, ["run"] + long + ["--run-dir", "reference"])

        let job = Process()
        job.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        job.arguments = mpirunCommand(2, ["run"] + long + ["--run-dir", "faulty"], seconds: 300)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        job.environment = env
        job.currentDirectoryURL = keel.directory
        let output = keel.directory.appendingPathComponent("faulty.out"), errors = keel.directory.appendingPathComponent("faulty.err")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        job.standardOutput = try FileHandle(forWritingTo: output)
        job.standardError = try FileHandle(forWritingTo: errors)
        try job.run()

        // Once epoch 1's backup exists, rank 1 is killed (it is then training epoch 2).
        let metadata = keel.path("faulty/checkpoints/backup/training_metadata.json")
        var killed = false
        let deadline = Date().addingTimeInterval(300)
        while job.isRunning && Date() < deadline && !killed {
            if (try? String(contentsOfFile: metadata, encoding: .utf8))?.contains("\"epoch\": 1") == true,
               let rank1 = rankProcess(1, below: job.processIdentifier) {
                Thread.sleep(forTimeInterval: 0.2)
                killed = kill(rank1, SIGKILL) == 0
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(killed, "rank 1 was not killed before the job ended (make the run longer)")
        let began = Date()
        job.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(began), 120, "the job took too long to end after a rank died")
        XCTAssertNotEqual(job.terminationStatus, 0)
        XCTAssertNotEqual(job.terminationStatus, 124, "the time-out ended the job: it hung")
        let stderr = try String(contentsOf: errors, encoding: .utf8)
        XCTAssertTrue(stderr.contains("rank 0 of 2"), "rank 0 says why it stopped:\n\(stderr)")
        print("The job's standard error after rank 1 was killed:\n" + stderr)
        XCTAssertTrue(stderr.contains("keel resume faulty") || stderr.contains("another rank"), stderr)
        XCTAssertFalse(try text("faulty/status.json").contains("finished"))
        XCTAssertFalse(try text("faulty/log.csv").contains("\r\n2,"), "killed before the last epoch")

        try FileManager.default.copyItem(atPath: keel.path("faulty"), toPath: keel.path("faulty-on-one"))
        let resumed = try mpirun(2, ["resume", "faulty"])
        XCTAssertTrue(resumed.stdout.contains("Resuming run: faulty"), resumed.stdout)
        XCTAssertFalse(resumed.stdout.contains("Resuming a run of"), resumed.stdout)
        XCTAssertTrue(try text("faulty/status.json").contains("finished"))
        XCTAssertEqual(try text("faulty/log.csv"), try text("reference/log.csv"), "resumed on 2 ranks, exactly as uninterrupted")
        let arrays = ResumeHarness(keel: keel, arguments: [])
        XCTAssertEqual(try arrays.arrays("faulty/model.h5"), try arrays.arrays("reference/model.h5"))
        assertNoScratchLeft()

        let alone = try keel.succeed(["resume", "faulty-on-one"])
        XCTAssertTrue(alone.stdout.contains("Resuming a run of 2 ranks on 1 process: the global batch becomes 1·B = 32 (it was 64)"),
                      alone.stdout)
        XCTAssertEqual(try csvRows("faulty-on-one/log.csv").map { $0.first }, ["epoch", "0", "1", "2"])
        XCTAssertTrue(try text("faulty-on-one/config.json").contains("\"ranks\": 1"))
    }

    /// The hand-written loop and the GAN train on two ranks.
    func testCustomLoopAndDCGANTrainOnTwoRanks() throws {
        let loop = try mpirun(2, ["run", "custom-loop", "--set", "epochs=2", "--set", "train_samples=512", "--set", "validation_samples=128",
                                  "--set", "log_every=4", "--distributed", "--run-dir", "loop"])
        XCTAssertEqual(loop.stdout.components(separatedBy: "Start of epoch 1").count - 1, 1, loop.stdout)
        XCTAssertTrue(loop.stdout.contains("Seen so far: 128 samples"), "batch 64 on each of 2 ranks:\n\(loop.stdout)")
        XCTAssertEqual(try csvRows("loop/log.csv").map { $0.first }, ["epoch", "0", "1"])
        let gan = try mpirun(2, ["run", "dcgan", "--set", "epochs=2", "--set", "steps=3", "--set", "batch_size=8", "--set", "width=8",
                                 "--set", "latent_dim=8", "--set", "train_samples=64", "--set", "grid=2", "--set", "sample_every=2",
                                 "--distributed", "--run-dir", "gan"])
        XCTAssertEqual(gan.stdout.components(separatedBy: "Run directory: gan").count - 1, 1, gan.stdout)
        XCTAssertEqual(try csvRows("gan/log.csv").first, ["epoch", "d_loss", "g_loss", "val_d_loss", "val_g_loss"])
        XCTAssertEqual(try csvRows("gan/log.csv").count, 3)
        XCTAssertTrue(keel.exists("gan/model.h5"))
        assertNoScratchLeft()
    }

    /// A fit, an evaluate and the warm-up on two ranks, each checked against the full data.
    private static let probe = """
        import Foundation
        import Keel

        final class DistributedProbe: Experiment {
            override class var name: String { "distributed-probe" }
            override class var defaults: [String: HyperValue] { ["epochs": .int(2), "rank_1_stops_at": .int(-1)] }
            override func run(_ context: ExperimentContext) throws {
                let x = Tensor(shape: [64, 4], scalars: (0..<256).map { Float(($0 * 37) % 17) / 17 })
                let y = Tensor(shape: [64], scalars: (0..<64).map { Float(($0 * 5) % 3) })
                let input = Input(shape: [4])
                let model = try Model(inputs: input, outputs: try Dense(units: 3, activation: "softmax")(input))
                try model.compile(optimizer: SGD(learningRate: .constant(0.1)), loss: SparseCategoricalCrossentropy())
                let loss = SparseCategoricalCrossentropy()
                // The loss of the whole data set, computed without sharding.
                func fullLoss() throws -> Double { Double(loss(y, try model.predict(x, batchSize: 64, verbose: 0)).scalar) }
                let probe = LambdaCallback(
                    onEpochEnd: { epoch, logs in
                        let full = (try? fullLoss()) ?? .nan
                        context.log(String(format: "epoch %d val_loss %.5f full %.5f", epoch, logs["val_loss"] ?? .nan, full))
                    },
                    onTrainBatchBegin: { batch, _ in
                        context.log(String(format: "lr %d %.4f", batch, Double(model.optimizer!.currentLearningRate)))
                    },
                    onTrainBatchEnd: { batch, _ in
                        // A decision of one rank alone, such as TerminateOnNaN's on its shard.
                        if Distributed.rank == 1 && batch == (try? context.int("rank_1_stops_at")) { model.stopTraining = true }
                    })
                let warmup = LearningRateWarmup(initialLearningRate: Distributed.scaledLearningRate(0.1), warmupEpochs: 1)
                try model.fit(x, y, batchSize: 8, epochs: try context.int("epochs"), verbose: 0, callbacks: [warmup, probe],
                              validationData: (x, y))
                let result = try model.evaluate(x, y, batchSize: 8, verbose: 0)
                context.log(String(format: "evaluate %.5f full %.5f", result["loss"] ?? .nan, try fullLoss()))
            }
        }

        public func registerPlugin(_ plugin: PluginRegistrar) throws {
            try plugin.addExperiment(DistributedProbe.self)
        }
        """

    func testFitAndEvaluateAverageOverTheRanksAndTheWarmupRamps() throws {
        let folder = try keel.plugin("DistributedProbe", ["DistributedProbe.swift": Self.probe])
        let result = try mpirun(2, ["run", folder.path, "--distributed", "--run-dir", "probe"])
        let lines = result.stdout.components(separatedBy: "\n")
        func numbers(_ prefix: String) -> [[Double]] {
            lines.filter { $0.hasPrefix(prefix) }.map { $0.split(separator: " ").compactMap { Double($0) } }
        }
        // 32 samples a rank, batches of 8: 4 steps an epoch, only rank 0 printing.
        let rates = numbers("lr ")
        XCTAssertEqual(rates.count, 8, result.stdout)
        // From 0.2 / 2 towards 0.2 during epoch 0 (Horovod's ramp), then held.
        XCTAssertEqual(rates.map { $0.last ?? 0 }, [0.125, 0.15, 0.175, 0.2, 0.2, 0.2, 0.2, 0.2], result.stdout)
        let epochs = numbers("epoch ")
        XCTAssertEqual(epochs.count, 2, result.stdout)
        for values in epochs {
            // Validation on each rank's half, averaged: the loss of the whole data set.
            XCTAssertEqual(values[1], values[2], accuracy: 2e-5, "val_loss against the full data: \(values)")
        }
        let evaluation = numbers("evaluate ")
        XCTAssertEqual(evaluation.count, 1, result.stdout)
        XCTAssertEqual(evaluation[0][0], evaluation[0][1], accuracy: 2e-5, "evaluate against the full data")
        assertNoScratchLeft()
    }

    /// One rank stopping `fit` in the middle of an epoch stops every rank there, instead of
    /// leaving rank 0 waiting for a gradient allreduce rank 1 never starts.
    func testOneRankStoppingStopsTheJob() throws {
        let folder = try keel.plugin("DistributedProbe", ["DistributedProbe.swift": Self.probe])
        let began = Date()
        let result = try mpirun(2, ["run", folder.path, "--distributed", "--run-dir", "stopped", "--set", "rank_1_stops_at=1"])
        XCTAssertLessThan(Date().timeIntervalSince(began), 50, "the job waited for the collective's time-out")
        XCTAssertEqual(result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("lr ") }, ["lr 0 0.1250", "lr 1 0.1500"],
                       result.stdout)
        XCTAssertTrue(result.stdout.contains("epoch 0 val_loss"), result.stdout)
        XCTAssertFalse(result.stdout.contains("epoch 1 val_loss"), result.stdout)
        XCTAssertTrue(try text("stopped/status.json").contains("finished"))
    }

    /// What rank 0 alone decides (the run directory, whether a run may resume) ends every rank
    /// when it fails: rank 0 prints the error, the others one line pointing to it; none waits.
    func testRankZerosRefusalEndsEveryRank() throws {
        try FileManager.default.createDirectory(atPath: keel.path("blocked"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: keel.path("blocked/file"), contents: Data())
        let began = Date()
        let run = try mpirunResult(2, ["run"] + fashion + ["--distributed", "--run-dir", "blocked/file/run"])
        assertFails(run, mentioning: ["--run-dir blocked/file/run", "Not a directory", "keel (rank 1 of 2): run directory",
                                     "rank 0 failed (its error says why)"])
        XCTAssertFalse(run.stderr.contains("keel (rank 0 of 2)"), "rank 0 ended by its error, not by mpirun:\n\(run.stderr)")

        try keel.succeed(["run"] + fashion + ["--run-dir", "done"])
        let resume = try mpirunResult(2, ["resume", "done"])
        assertFails(resume, mentioning: ["a finished run", "keel (rank 1 of 2): resume of done"])
        XCTAssertLessThan(Date().timeIntervalSince(began), 50, "a rank waited for the collective's time-out")
        assertNoScratchLeft()
    }

    /// The keel process of rank `rank` among the descendants of `ancestor`.
    private func rankProcess(_ rank: Int, below ancestor: Int32) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry), isDescendant(pid, of: ancestor),
                  let environ = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")) else { continue }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if variables.contains("OMPI_COMM_WORLD_RANK=\(rank)"),
               (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("keel") == true {
                return pid
            }
        }
        return nil
    }

    private func isDescendant(_ pid: Int32, of ancestor: Int32) -> Bool {
        var current = pid
        for _ in 0..<16 {
            guard let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = Int32(fields[1]) else { return false }
            if parent == ancestor { return true }
            if parent <= 1 { return false }
            current = parent
        }
        return false
    }
}
