import Foundation
import XCTest
import KeelTestSupport

/// Inputs that used to kill or hang the process (issue 12), each through the built `keel`: one
/// clear error, a non-zero exit (never a signal), within a time limit, and nothing left behind.
final class BadInputTests: XCTestCase {
    private var mlp: URL { ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp") }

    /// How a bounded run ended.
    struct BoundedResult {
        let status: Int32
        let signaled: Bool
        let timedOut: Bool
        let stdout: String
        let stderr: String
    }

    /// `keel <arguments>` in the scratch directory, killed after `seconds`.
    private func runBounded(_ keel: KeelProcess, _ arguments: [String], environment: [String: String] = [:],
                            seconds: Double = 60) throws -> BoundedResult {
        let process = Process()
        process.executableURL = ProjectPaths.keelExecutable
        process.arguments = arguments
        process.currentDirectoryURL = keel.directory
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Files, not pipes: a child that hangs must not also block the reader.
        let streams = ProjectPaths.temporaryDirectory("keel-bounded")
        defer { try? FileManager.default.removeItem(at: streams) }
        let out = streams.appendingPathComponent("out"), err = streams.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return BoundedResult(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal && !timedOut,
                             timedOut: timedOut, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// A failure that is one clear error: exit status non-zero, no signal, no hang, every fragment on stderr.
    private func assertCleanFailure(_ result: BoundedResult, mentioning fragments: [String], _ context: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.timedOut, "\(context): still running at the time limit", file: file, line: line)
        XCTAssertFalse(result.signaled, "\(context): killed by signal \(result.status)\n\(result.stderr)", file: file, line: line)
        XCTAssertNotEqual(result.status, 0, "\(context): succeeded\n\(result.stdout)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("Error: "), "\(context): \(result.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(result.stderr.contains(fragment), "\(context): stderr lacks '\(fragment)':\n\(result.stderr)",
                          file: file, line: line)
        }
    }

    private func python(_ script: String, _ arguments: [String]) throws {
        let result = try runPython(script, arguments: arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    // MARK: .keras archives

    func testHostileZipArchivesAreOneErrorAndLeaveNoScratchFile() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let scratch = keel.path("tmp")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let config = Array("{}".utf8)
        var archives: [(String, [UInt8])] = []
        for (label, size) in [("2^62", UInt64(1) << 62), ("2^63", UInt64(1) << 63), ("2^64-1", UInt64.max)] {
            archives.append(("uncompressed-\(label)", HandMadeZip.archive([.init("config.json", config, zip64UncompressedSize: size)])))
            archives.append(("compressed-\(label)", HandMadeZip.archive([.init("config.json", config, zip64CompressedSize: size)])))
            archives.append(("offset-\(label)", HandMadeZip.archive([.init("config.json", config, zip64LocalHeaderOffset: size)])))
        }
        archives.append(("cut-directory", HandMadeZip.archive([.init("config.json", config), .init("b", config)], dropDirectoryBytes: 20)))
        archives.append(("huge-count", HandMadeZip.archive([.init("config.json", config)], zip64End: .init(entryCount: 1 << 62))))
        for (label, bytes) in archives {
            let path = keel.path("\(label).keras")
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let result = try runBounded(keel, ["summary", path], environment: ["TMPDIR": scratch], seconds: 30)
            assertCleanFailure(result, mentioning: ["\(label).keras"], label)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch), [], "\(label): a scratch file was left")
        }
    }

    // MARK: Functional configs

    func testMergeLayerWithOneInboundTensorIsAnError() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try python("""
            import os, sys, json, zipfile
            os.environ["KERAS_BACKEND"] = "numpy"
            import keras, h5py
            os.chdir(sys.argv[1])
            a = keras.Input((3,), name="a")
            d = keras.layers.Dense(3, name="d")(a)
            joined = keras.layers.Add(name="add")([a, d])
            keras.Model(a, keras.layers.Dense(2, name="out")(joined)).save("add.keras")
            c = keras.layers.Concatenate(name="cat")([a, d])
            keras.Model(a, keras.layers.Dense(2, name="out")(c)).save("cat.h5")
            def lonely(layers, name):
                for layer in layers:
                    if layer["name"] == name:
                        layer["inbound_nodes"][0]["args"][0] = layer["inbound_nodes"][0]["args"][0][:1]
            with zipfile.ZipFile("add.keras") as z:
                members = {n: z.read(n) for n in z.namelist()}
            config = json.loads(members["config.json"])
            lonely(config["config"]["layers"], "add")
            members["config.json"] = json.dumps(config).encode()
            with zipfile.ZipFile("add-one.keras", "w") as z:
                for n, data in members.items(): z.writestr(n, data)
            with h5py.File("cat.h5", "r+") as f:
                config = json.loads(f.attrs["model_config"])
                lonely(config["config"]["layers"], "cat")
                f.attrs["model_config"] = json.dumps(config)
            import numpy as np
            np.save("x.npy", np.ones((2, 3), np.float32))
            """, [keel.directory.path])
        for (file, layer) in [("add-one.keras", "Add layer 'add'"), ("cat.h5", "Concatenate layer 'cat'")] {
            assertCleanFailure(try runBounded(keel, ["summary", file]), mentioning: [file, layer, "at least 2 inputs"], file)
            assertCleanFailure(try runBounded(keel, ["predict", file, "--input", "x.npy", "--output", "p.npy"]),
                               mentioning: [file, layer, "at least 2 inputs"], "predict \(file)")
            XCTAssertFalse(keel.exists("p.npy"))
        }
    }

    // MARK: Huge layers

    func testHugeLayersAreErrorsNamingTheSize() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let small = ["--epochs", "1", "--set", "train_samples=64", "--set", "validation_samples=32"]
        let absurd = try runBounded(keel, ["run", "fashion-mlp", "--set", "units=2147483648"] + small, seconds: 120)
        assertCleanFailure(absurd, mentioning: ["units", "2147483648", "16777216"], "units=2^31")
        // Within the hyper-parameter's bound, but a 784 x 2^24 kernel is 52,613,349,376 bytes.
        try XCTSkipIf(ProcessInfo.processInfo.physicalMemory >= 52_613_349_376, "this machine has memory for the kernel")
        let huge = try runBounded(keel, ["run", "fashion-mlp", "--set", "units=16777216"] + small, seconds: 120)
        assertCleanFailure(huge, mentioning: ["Dense layer 'dense'", "[784, 16777216]", "52613349376 bytes"], "units=2^24")
    }

    // MARK: Files that are not regular files

    func testFifosAndDevicesAreRefusedWithoutBlocking() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        for name in ["fifo.npy", "fifo.h5", "fifo.keras", "fifo.csv"] {
            XCTAssertEqual(mkfifo(keel.path(name), 0o644), 0)
        }
        let model = mlp.appendingPathComponent("model.h5").path
        let cases: [([String], [String])] = [
            (["predict", model, "--input", "fifo.npy", "--output", "p.npy"], ["fifo.npy", "FIFO"]),
            (["summary", "fifo.h5"], ["fifo.h5", "FIFO"]),
            (["summary", "fifo.keras"], ["fifo.keras", "FIFO"]),
            (["plot", "fifo.csv"], ["fifo.csv", "FIFO"]),
            (["predict", model, "--input", "/dev/zero", "--output", "p.npy"], ["/dev/zero", "character device"]),
            (["summary", "/dev/zero"], ["/dev/zero", "character device"]),
        ]
        for (arguments, fragments) in cases {
            assertCleanFailure(try runBounded(keel, arguments, seconds: 30), mentioning: fragments, arguments.joined(separator: " "))
        }
        XCTAssertFalse(keel.exists("p.npy"))
    }

    func testResumeRefusesABackupThatIsAFifo() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        // Many epochs and no early stop: the run is surely still training when the first backup appears.
        let process = try keel.start(["run", "fashion-mlp", "--epochs", "50", "--set", "train_samples=600", "--set", "validation_samples=100",
                                      "--set", "units=16", "--set", "patience=100", "--run-dir", "run"])
        let backup = keel.path("run/checkpoints/backup")
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline && !FileManager.default.fileExists(atPath: backup + "/training_metadata.json") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup + "/latest.weights.h5"), "no backup was written")
        for file in ["latest.weights.h5", "latest.weights.h5.bkp", "training_metadata.json.bkp"] {
            try? FileManager.default.removeItem(atPath: backup + "/" + file)
        }
        XCTAssertEqual(mkfifo(backup + "/latest.weights.h5", 0o644), 0)
        let result = try runBounded(keel, ["resume", "run"], seconds: 60)
        assertCleanFailure(result, mentioning: ["latest.weights.h5", "FIFO"], "resume with a FIFO backup")
    }

    /// A run directory whose config.json and status.json are FIFOs: `keel runs` and `keel resume`
    /// read neither blocking nor crashing.
    func testRunFilesThatAreFifosDoNotBlock() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try FileManager.default.createDirectory(atPath: keel.path("runs/x/1"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(keel.path("runs/x/1/config.json"), 0o644), 0)
        XCTAssertEqual(mkfifo(keel.path("runs/x/1/status.json"), 0o644), 0)
        let listing = try runBounded(keel, ["runs"], seconds: 30)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        assertCleanFailure(try runBounded(keel, ["resume", "runs/x/1"], seconds: 30), mentioning: ["config.json"], "resume with FIFO run files")
    }

    /// A multi-output model's predictions go in a directory; an existing file there is refused
    /// before anything is computed.
    func testPredictOfSeveralOutputsIntoAnExistingFileIsRefused() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try "keep".write(toFile: keel.path("taken"), atomically: true, encoding: .utf8)
        let ticket = ProjectPaths.sharedFixtures.appendingPathComponent("h5/ticket")
        let inputs = ["title", "text_body", "tags"].flatMap { ["--input", "\($0)=\(ticket.appendingPathComponent("x_\($0).npy").path)"] }
        let result = try runBounded(keel, ["predict", ticket.appendingPathComponent("model.h5").path] + inputs + ["--output", "taken"], seconds: 60)
        assertCleanFailure(result, mentioning: ["--output taken", "directory", "existing file"], "predict into an existing file")
        XCTAssertEqual(try String(contentsOfFile: keel.path("taken"), encoding: .utf8), "keep")
    }

    // MARK: keel plot

    func testPlotOfABareRelativeName() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try "epoch,loss\n0,1.5\n1,1.1\n".write(toFile: keel.path("log.csv"), atomically: true, encoding: .utf8)
        let plotted = try runBounded(keel, ["plot", "log.csv"])
        XCTAssertEqual(plotted.status, 0, plotted.stderr)
        XCTAssertTrue(keel.exists("log.png"))
        let named = try runBounded(keel, ["plot", "log.csv", "--output", "named.png"])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertTrue(keel.exists("named.png"))
    }

    // MARK: .npy dtypes

    /// Integer, bool and float64 arrays are cast to the model's float32 input, as Keras casts them:
    /// the predictions equal those for the float32 array.
    func testIntegerAndOtherNumericInputsAreCastToTheInputDtype() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let dtypes = ["int64", "int32", "int16", "int8", "uint8", "uint16", "uint32", "uint64", "float64", "float16", "bool", ">i8"]
        try python("""
            import sys, numpy as np
            rng = np.random.default_rng(0)
            x = rng.integers(0, 2, size=(4, 784))
            np.save(sys.argv[1] + "/x-float32.npy", x.astype(np.float32))
            for name in sys.argv[2:]:
                np.save(sys.argv[1] + "/x-" + name.replace(">", "be-") + ".npy", x.astype(np.dtype(name)))
            np.save(sys.argv[1] + "/y-int64.npy", rng.integers(0, 10, size=4).astype(np.int64))
            np.save(sys.argv[1] + "/x-complex64.npy", x.astype(np.complex64))
            np.save(sys.argv[1] + "/x-str.npy", x.astype(str))
            np.save(sys.argv[1] + "/x-object.npy", x.astype(object), allow_pickle=True)
            """, [keel.directory.path] + dtypes)
        let model = mlp.appendingPathComponent("model.h5").path
        try keel.succeed(["predict", model, "--input", "x-float32.npy", "--output", "p-float32.npy"])
        for dtype in dtypes {
            let name = dtype.replacingOccurrences(of: ">", with: "be-")
            try keel.succeed(["predict", model, "--input", "x-\(name).npy", "--output", "p-\(name).npy"])
            let same = try runPython("""
                import sys, numpy as np
                print(bool(np.array_equal(np.load(sys.argv[1]), np.load(sys.argv[2]))))
                """, arguments: [keel.path("p-float32.npy"), keel.path("p-\(name).npy")])
            XCTAssertEqual(same.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "True", "\(dtype): \(same.stderr)")
        }
        let evaluated = try keel.succeed(["evaluate", model, "--x", "x-int64.npy", "--y", "y-int64.npy", "--json"])
        XCTAssertTrue(evaluated.stdout.contains("\"loss\""), evaluated.stdout)
        for (file, found) in [("x-complex64.npy", "complex64"), ("x-str.npy", "unicode strings"), ("x-object.npy", "Python objects")] {
            assertCleanFailure(try runBounded(keel, ["predict", model, "--input", file, "--output", "bad.npy"]),
                               mentioning: [file, found], file)
        }
        XCTAssertFalse(keel.exists("bad.npy"))
    }
}
