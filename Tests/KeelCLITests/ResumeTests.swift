import Foundation
import XCTest
import KeelTestSupport

/// `keel resume`: a run killed with SIGKILL at different moments and resumed ends with weights,
/// optimizer state and CSV log identical (bit for bit) to a run that was never interrupted.
final class ResumeTests: XCTestCase {
    private let arguments = ["run", "fashion-mlp", "--epochs", "4", "--set", "train_samples=1200", "--set",
                             "validation_samples=300", "--set", "units=32", "--set", "patience=10"]

    /// Every array of a saved model file (weights and optimizer variables), read by h5py.
    private func arrays(_ path: String) throws -> String {
        let result = try runPython("""
            import sys, h5py, hashlib
            out = []
            with h5py.File(sys.argv[1]) as f:
                for g in ('model_weights', 'optimizer_weights'):
                    if g in f:
                        f[g].visititems(lambda n, o: out.append(g + '/' + n + ' ' + hashlib.sha256(o[()].tobytes()).hexdigest())
                                        if isinstance(o, h5py.Dataset) else None)
            print('\\n'.join(sorted(out)))
            """, arguments: [path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    /// Starts a run and SIGKILLs it once its snapshot says `epoch`, after `delay` seconds more.
    private func killedRun(_ keel: KeelProcess, directory: String, epoch: Int, delay: Double) throws -> Int32 {
        let process = Process()
        process.executableURL = ProjectPaths.keelExecutable
        process.arguments = arguments + ["--run-dir", directory]
        process.currentDirectoryURL = keel.directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let metadata = keel.path("\(directory)/checkpoints/backup/training_metadata.json")
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            if let text = try? String(contentsOfFile: metadata, encoding: .utf8), text.contains("\"epoch\": \(epoch)") {
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                kill(process.processIdentifier, SIGKILL)
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testKilledRunsResumeToTheUninterruptedResult() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(arguments + ["--run-dir", "reference"])
        let reference = try arrays(keel.path("reference/model.h5"))
        let referenceLog = try String(contentsOfFile: keel.path("reference/log.csv"), encoding: .utf8)
        XCTAssertFalse(reference.isEmpty)
        var kills = 0
        for (index, (epoch, delay)) in [(1, 0.0), (2, 0.05), (3, 0.0)].enumerated() {
            let directory = "interrupted\(index)"
            let status = try killedRun(keel, directory: directory, epoch: epoch, delay: delay)
            if status == SIGKILL || status == 128 + SIGKILL || !keel.exists("\(directory)/model.h5") { kills += 1 }
            try keel.succeed(["resume", directory])
            XCTAssertEqual(try arrays(keel.path("\(directory)/model.h5")), reference, "run killed after epoch \(epoch)")
            XCTAssertEqual(try String(contentsOfFile: keel.path("\(directory)/log.csv"), encoding: .utf8), referenceLog,
                           "log of the run killed after epoch \(epoch)")
        }
        XCTAssertGreaterThan(kills, 0, "no run was actually interrupted")
        print("ResumeTests: \(kills) of 3 runs killed mid-training, all resumed to identical weights")
        assertFails(try keel.run(["resume", "reference"]), mentioning: ["finished"])
    }
}
