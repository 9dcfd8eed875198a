import Foundation
import XCTest
import KeelTestSupport

/// A run's life as `keel` records and reports it: status.json names the process that runs it, so a
/// killed run shows `interrupted` and a live one cannot be resumed twice; a failed op check is
/// recorded as `crashed`; a plugin run resumes from the folder it came from; output through a pipe
/// keeps its order; the run directory holds no empty folders; `keel runs` is an aligned table.
final class RunLifecycleTests: XCTestCase {
    /// A fashion-mlp run long enough to be killed mid-training.
    private let longRun = ["run", "fashion-mlp", "--epochs", "40", "--set", "train_samples=1200", "--set",
                           "validation_samples=300", "--set", "units=32", "--set", "patience=100"]

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is not a JSON object")
    }

    /// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot).
    private func startTicks(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterName = text[text.index(after: text.lastIndex(of: ")")!)...].split(separator: " ")
        return try XCTUnwrap(Int(afterName[19]))
    }

    private func bootID() throws -> String {
        try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func waitFor(_ what: String, timeout: Double = 180, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { XCTFail("timed out waiting for \(what)"); return }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The cells of `keel runs`' line for the run at `path`, cut at the header's column starts
    /// (which checks the alignment: every cell starts exactly under its header).
    private func runsTable(_ output: String) throws -> [[String: String]] {
        let lines = output.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.first)
        let names = ["run", "experiment", "started", "status", "epochs", "final metrics"]
        let starts = try names.map { name -> Int in
            let range = try XCTUnwrap(header.range(of: name), "header lacks '\(name)': \(header)")
            return header.distance(from: header.startIndex, to: range.lowerBound)
        }
        XCTAssertEqual(starts, starts.sorted(), "header columns out of order: \(header)")
        XCTAssertEqual(starts.first, 0)
        return lines.dropFirst().map { line in
            let characters = Array(line)
            var row: [String: String] = [:]
            for (index, name) in names.enumerated() {
                let start = starts[index], end = index + 1 < starts.count ? starts[index + 1] : characters.count
                guard start < characters.count else { row[name] = ""; continue }
                // A cell starts at its column (not inside the previous cell) and is followed by padding.
                if start > 0 { XCTAssertEqual(characters[start - 1], " ", "cell '\(name)' not aligned in: \(line)") }
                XCTAssertNotEqual(characters[start], " ", "cell '\(name)' not aligned in: \(line)")
                row[name] = String(characters[start..<min(end, characters.count)]).trimmingCharacters(in: .whitespaces)
            }
            return row
        }
    }

    // MARK: status, kill -9, resume of a live run

    func testAKilledRunIsInterruptedAndALiveRunIsNotResumed() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let run = "runs/fashion-mlp/long"
        let process = try keel.start(longRun + ["--run-dir", run])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        waitFor("the first epoch's snapshot") { keel.exists("\(run)/checkpoints/backup/training_metadata.json") || !process.isRunning }
        XCTAssertTrue(process.isRunning, "the run ended before it could be killed")

        let status = try json(keel.path("\(run)/status.json"))
        XCTAssertEqual(status["status"] as? String, "running")
        let recorded = try XCTUnwrap(status["process"] as? [String: Any], "status.json lacks the process: \(status)")
        XCTAssertEqual(recorded["pid"] as? Int, Int(process.processIdentifier))
        XCTAssertEqual(recorded["start_ticks"] as? Int, try startTicks(process.processIdentifier))
        XCTAssertEqual(recorded["boot_id"] as? String, try bootID())
        let started = try XCTUnwrap(status["started"] as? String)
        XCTAssertNotNil(started.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression), started)

        XCTAssertEqual(try runsTable(keel.succeed(["runs"]).stdout).first?["status"], "running")
        let refused = try keel.run(["resume", run])
        assertFails(refused, mentioning: [run, "process \(process.processIdentifier)", "still running"])
        XCTAssertTrue(process.isRunning, "a refused resume touched the live run")

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(try json(keel.path("\(run)/status.json"))["status"] as? String, "running",
                       "a killed process cannot have updated its status")
        let rows = try runsTable(keel.succeed(["runs"]).stdout)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["status"], "interrupted")
        XCTAssertEqual(rows.first?["run"], "runs/fashion-mlp/long")
        XCTAssertEqual(rows.first?["experiment"], "fashion-mlp")
    }

    /// A pid now used by another process (here: the test itself, with another start time) is not
    /// the run; the same pid with its real start time is.
    func testAReusedPidIsNotMistakenForTheRun() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let pid = getpid()
        let ticks = try startTicks(pid)
        let boot = try bootID()
        func fake(_ name: String, day: Int, status: String, ticks: Int, error: String? = nil) throws {
            let directory = keel.path("runs/fake/\(name)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try #"{"experiment": "fake", "seed": 1, "hyperparameters": {}}"#.write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
            var object: [String: Any] = ["status": status, "started": "2026-01-1\(day)T10:00:00Z",
                                         "process": ["pid": Int(pid), "start_ticks": ticks, "boot_id": boot]]
            if let error { object["error"] = error }
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory + "/status.json"))
        }
        try fake("reused", day: 2, status: "running", ticks: ticks + 1)
        try fake("alive", day: 1, status: "running", ticks: ticks)
        try fake("crashed-one", day: 3, status: "crashed", ticks: ticks, error: "matmul: shapes [2, 5] and [3, 4]")
        let rows = try runsTable(keel.succeed(["runs"]).stdout)
        // Sorted by start time, not by name.
        XCTAssertEqual(rows.map { $0["run"] ?? "" }, ["runs/fake/alive", "runs/fake/reused", "runs/fake/crashed-one"])
        XCTAssertEqual(rows.map { $0["status"] ?? "" }, ["running", "interrupted", "crashed"])
        XCTAssertEqual(rows.last?["final metrics"], "matmul: shapes [2, 5] and [3, 4]")
        XCTAssertEqual(rows.first?["started"], "2026-01-11 10:00:00")
        assertFails(try keel.run(["resume", "runs/fake/alive"]), mentioning: ["runs/fake/alive", "process \(pid)", "still running"])
    }

    // MARK: a failed op check in a plugin's training loop

    private static let mismatchProbe = """
        import Foundation
        import Keel

        /// A custom training loop whose second step multiplies matrices of mismatched shapes.
        final class MismatchProbe: Experiment {
            override class var name: String { "mismatch-probe" }
            override class var defaults: [String: HyperValue] { ["steps": .int(3)] }
            override func run(_ context: ExperimentContext) throws {
                let weights = Tensor.ones([3, 4])
                for step in 1...(try context.int("steps")) {
                    context.log("step \\(step)")
                    let batch = Tensor.ones([2, step == 2 ? 5 : 3])
                    _ = batch.matmul(weights)
                }
            }
        }

        @_cdecl("keel_plugin_register")
        public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
            keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(MismatchProbe.self) }
        }
        """

    func testAFailedOpCheckInATrainStepIsOneErrorLineAndACrashedRun() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let plugin = try keel.plugin("MismatchProbe", ["MismatchProbe.swift": Self.mismatchProbe])
        let result = try keel.run(["run", plugin.path, "--run-dir", "runs/probe/crash"])
        XCTAssertEqual(result.status, 70, "\(result.stdout)\n\(result.stderr)")
        let errorLines = result.stderr.split(separator: "\n").filter { $0.contains("Error") }
        XCTAssertEqual(errorLines.count, 1, "stderr:\n\(result.stderr)")
        let line = String(errorLines.first ?? "")
        XCTAssertTrue(line.hasPrefix("Error: matmul"), line)
        XCTAssertTrue(line.contains("[2, 5]") && line.contains("[3, 4]"), line)
        XCTAssertTrue(result.stdout.contains("step 2") && !result.stdout.contains("step 3"), result.stdout)

        let status = try json(keel.path("runs/probe/crash/status.json"))
        XCTAssertEqual(status["status"] as? String, "crashed")
        XCTAssertEqual(status["error"] as? String, String(line.dropFirst("Error: ".count)))
        let rows = try runsTable(keel.succeed(["runs"]).stdout)
        XCTAssertEqual(rows.first?["status"], "crashed")
        XCTAssertTrue(rows.first?["final metrics"]?.hasPrefix("matmul") == true, "\(rows)")
    }

    // MARK: a plugin run resumes from its folder, with its seed

    private static let resumableProbe = """
        import Foundation
        import Keel

        /// Fails on its first attempt after writing a marker; `keel resume` finishes it.
        final class ResumableProbe: Experiment {
            override class var name: String { "resumable-probe" }
            override class var defaults: [String: HyperValue] { ["steps": .int(2)] }
            override func run(_ context: ExperimentContext) throws {
                context.log("seed \\(context.seed) draw \\(KeelRandom.generator.uniform([3]).scalars)")
                let marker = context.runDirectory.path + "/first-attempt.txt"
                // Restoring (nothing, the first time) is what makes a hand-written loop resumable.
                _ = try context.checkpoint.restore()
                if context.resumeFrom == nil {
                    try "started".write(toFile: marker, atomically: true, encoding: .utf8)
                    throw KeelError("resumable-probe", expected: "to be resumed", found: "a deliberate failure mid-way")
                }
                guard FileManager.default.fileExists(atPath: marker) else { throw KeelError("the first attempt's marker") }
                context.log("resumed and finished")
            }
        }

        @_cdecl("keel_plugin_register")
        public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
            keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(ResumableProbe.self) }
        }
        """

    func testAPluginRunResumesFromItsFolderWithoutThePluginPath() throws {
        let keel = KeelProcess()
        let outside = ProjectPaths.temporaryDirectory("keel-outside-plugin")
        defer { keel.remove(); try? FileManager.default.removeItem(at: outside) }
        let folder = outside.appendingPathComponent("ResumableProbe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.resumableProbe.write(to: folder.appendingPathComponent("ResumableProbe.swift"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: keel.path("linked"), withDestinationPath: folder.path)
        let noPluginPath: [String: String?] = ["KEEL_PLUGIN_PATH": nil]

        let first = try keel.run(["run", "linked", "--seed", "-5", "--run-dir", "r"], environment: noPluginPath)
        assertFails(first, mentioning: ["deliberate failure"])
        let config = try json(keel.path("r/config.json"))
        XCTAssertEqual(config["plugin_folder"] as? String, folder.resolvingSymlinksInPath().path)
        XCTAssertEqual(config["seed"] as? Int, -5)
        XCTAssertEqual(try json(keel.path("r/status.json"))["status"] as? String, "failed")

        // The link is gone: only config.json knows where the experiment lives.
        try FileManager.default.removeItem(atPath: keel.path("linked"))
        let resumed = try keel.run(["resume", "r"], environment: noPluginPath)
        XCTAssertEqual(resumed.status, 0, "\(resumed.stdout)\n\(resumed.stderr)")
        XCTAssertTrue(resumed.stdout.contains("resumed and finished"), resumed.stdout)
        XCTAssertEqual(try json(keel.path("r/status.json"))["status"] as? String, "finished")
        // The same generator seed (-5 as two's complement) and the same first draws on resume.
        let seedLine = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("seed ") }.map(String.init) }
        XCTAssertTrue(seedLine(first.stdout)?.hasPrefix("seed \(UInt64(bitPattern: -5)) draw ") == true, first.stdout)
        XCTAssertEqual(seedLine(resumed.stdout), seedLine(first.stdout))
        let other = try keel.run(["run", folder.path, "--seed", "5", "--run-dir", "r5"], environment: noPluginPath)
        XCTAssertNotEqual(seedLine(other.stdout)?.split(separator: " ").dropFirst(2).joined(), seedLine(first.stdout)?.split(separator: " ").dropFirst(2).joined(),
                          "seeds -5 and 5 drew the same numbers")
    }

    // MARK: output order through a pipe, folders, hyper-parameters, option values

    func testPipedOutputStartsWithTheRunDirectoryAndTheSummary() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let process = Process()
        process.executableURL = ProjectPaths.keelExecutable
        process.arguments = ["run", "fashion-mlp", "--epochs", "2", "--set", "train_samples=600", "--set", "validation_samples=200",
                             "--set", "units=16", "--run-dir", "piped"]
        process.currentDirectoryURL = keel.directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        let lines = output.split(separator: "\n").map(String.init)
        func first(_ predicate: (String) -> Bool, _ what: String) throws -> Int {
            try XCTUnwrap(lines.firstIndex(where: predicate), "no \(what) line in:\n\(output)")
        }
        let runDirectory = try first({ $0.hasPrefix("Run directory: ") }, "Run directory")
        let summary = try first({ $0.contains("Total params") }, "summary")
        let training = try first({ $0.hasPrefix("Epoch 1/") }, "Epoch 1/")
        XCTAssertEqual(runDirectory, 0, output)
        XCTAssertLessThan(summary, training, output)
        XCTAssertLessThan(try first({ $0.hasPrefix("Epoch 2/") }, "Epoch 2/"), lines.count)
    }

    func testARunHasNoEmptyFolders() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(["run", "minimize", "--set", "steps=3", "--run-dir", "m"])
        XCTAssertFalse(keel.exists("m/samples"), "minimize writes no samples")
        XCTAssertFalse(keel.exists("m/checkpoints"), "minimize writes no checkpoints")
        XCTAssertTrue(keel.exists("m/plots/trajectories.png"))
        try keel.succeed(["run", "minimize", "--set", "steps=3"])
        let made = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: keel.path("runs/minimize")).first)
        let entries = try FileManager.default.contentsOfDirectory(atPath: keel.path("runs/minimize/\(made)")).sorted()
        XCTAssertEqual(entries, ["config.json", "log.csv", "plots", "status.json"])
    }

    func testHyperParametersAreListedWithDefaultAndType() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let row = #"(?m)^\s+steps\s+100\s+int$"#
        let rate = #"(?m)^\s+learning_rate\s+0\.1\s+float$"#
        for arguments in [["help", "run", "minimize"], ["run", "minimize", "--help"], ["list", "minimize"], ["list", "--kind", "experiments"]] {
            let out = try keel.succeed(arguments).stdout
            XCTAssertNotNil(out.range(of: row, options: .regularExpression), "keel \(arguments): \(out)")
            XCTAssertNotNil(out.range(of: rate, options: .regularExpression), "keel \(arguments): \(out)")
        }
        XCTAssertTrue(try keel.succeed(["help", "run", "minimize"]).stdout.contains("--set"))
        XCTAssertFalse(keel.exists("runs"), "asking for help started a run")
        assertFails(try keel.run(["help", "run", "no-such-experiment"]), mentioning: ["no-such-experiment"])
    }

    func testSettingAHyperParameterTwiceIsAnError() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        assertFails(try keel.run(["run", "fashion-mlp", "--epochs", "3", "--set", "epochs=5"]), mentioning: ["--epochs 3", "--set epochs=5"])
        assertFails(try keel.run(["run", "fashion-mlp", "--batch-size", "8", "--set", "batch_size=16"]),
                    mentioning: ["--batch-size 8", "--set batch_size=16"])
        assertFails(try keel.run(["run", "minimize", "--set", "steps=3", "--set", "steps=4"]), mentioning: ["--set steps=3", "--set steps=4"])
        XCTAssertFalse(keel.exists("runs"))
    }

    func testNegativeNumbersAreOptionValues() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(["run", "minimize", "--seed", "-5", "--set", "steps=3", "--run-dir", "neg"])
        XCTAssertEqual(try json(keel.path("neg/config.json"))["seed"] as? Int, -5)
        // Negative values reach the range checks, whose messages name the value.
        assertFails(try keel.run(["run", "minimize", "--set", "learning_rate=-0.1"]), mentioning: ["learning_rate", "-0.1", "[0, 1]"])
        assertFails(try keel.run(["run", "minimize", "--epochs", "-3"]), mentioning: ["--epochs", "positive", "-3"])
        assertFails(try keel.run(["run", "fashion-mlp", "--batch-size", "-8"]), mentioning: ["--batch-size", "positive", "-8"])
        assertFails(try keel.run(["run", "minimize", "--set", "steps=-2"]), mentioning: ["steps", "positive", "-2"])
        assertFails(try keel.run(["run", "minimize", "--seed", "x"]), mentioning: ["seed"])
        XCTAssertFalse(keel.exists("runs"))
    }
}
