import Foundation
import XCTest
import KeelTestSupport

/// Checks that `keel resume` continues an experiment exactly: the experiment runs once
/// uninterrupted (the reference), then again until a snapshot file appears, is SIGKILLed, and is
/// resumed; what it leaves (every array of the HDF5 files, the bytes of the other files) must equal
/// the reference bit for bit.
struct ResumeHarness {
    let keel: KeelProcess
    /// `run <experiment> --set ...` without `--run-dir`.
    let arguments: [String]

    /// Every dataset of an HDF5 file (weights, optimizer variables), hashed, as h5py reads it.
    func arrays(_ relative: String) throws -> String {
        let result = try runPython("""
            import sys, h5py, hashlib
            out = []
            with h5py.File(sys.argv[1]) as f:
                f.visititems(lambda n, o: out.append(n + ' ' + hashlib.sha256(o[()].tobytes()).hexdigest())
                             if isinstance(o, h5py.Dataset) else None)
            print('\\n'.join(sorted(out)))
            """, arguments: [keel.path(relative)])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    /// Starts a run in `directory` and SIGKILLs it `delay` seconds after `snapshot` (a path in the
    /// run directory) exists and, when given, contains `containing`. Returns whether the kill came
    /// before the run ended.
    func killedRun(directory: String, snapshot: String, containing: String? = nil, delay: Double = 0) throws -> Bool {
        let process = try keel.start(arguments + ["--run-dir", directory])
        let path = keel.path("\(directory)/\(snapshot)")
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline {
            if FileManager.default.fileExists(atPath: path),
               containing.map({ (try? String(contentsOfFile: path, encoding: .utf8))?.contains($0) ?? false }) ?? true {
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                kill(process.processIdentifier, SIGKILL)
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// Runs the reference once, then for each delay a run killed that long after `snapshot`
    /// appeared, resumed; compares `arrays` (HDF5 files), `files` and every file under `folders`.
    func assertResumesExactly(snapshot: String, containing: String? = nil, delays: [Double] = [0],
                              arrays arrayFiles: [String] = [], files: [String], folders: [String] = [],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        try keel.succeed(arguments + ["--run-dir", "reference"], file: file, line: line)
        let reference = try results("reference", arrayFiles: arrayFiles, files: files, folders: folders)
        for (index, delay) in delays.enumerated() {
            let directory = "interrupted\(index)"
            XCTAssertTrue(try killedRun(directory: directory, snapshot: snapshot, containing: containing, delay: delay),
                          "the run was not killed before it ended (make its settings larger)", file: file, line: line)
            let resumed = try keel.succeed(["resume", directory], file: file, line: line)
            XCTAssertTrue(resumed.stdout.contains("Resuming run"), resumed.stdout, file: file, line: line)
            let results = try results(directory, arrayFiles: arrayFiles, files: files, folders: folders)
            for (name, expected) in reference.sorted(by: { $0.key < $1.key }) {
                // Compared as bytes, reported by name (the bytes of an image say little).
                XCTAssertTrue(results[name] == expected, "\(name) differs after resuming a run killed \(delay) s after \(snapshot)",
                              file: file, line: line)
            }
            XCTAssertEqual(results.keys.sorted(), reference.keys.sorted(), file: file, line: line)
        }
        assertFails(try keel.run(["resume", "reference"]), mentioning: ["finished"], file: file, line: line)
    }

    /// What a run left, by name: array hashes of HDF5 files, bytes of the others.
    private func results(_ directory: String, arrayFiles: [String], files: [String], folders: [String]) throws -> [String: Data] {
        var results: [String: Data] = [:]
        for name in arrayFiles {
            let hashes = try arrays("\(directory)/\(name)")
            XCTAssertFalse(hashes.isEmpty, "\(directory)/\(name) has no arrays")
            results[name] = Data(hashes.utf8)
        }
        var names = files
        for folder in folders {
            let listing = try FileManager.default.contentsOfDirectory(atPath: keel.path("\(directory)/\(folder)")).sorted()
            XCTAssertFalse(listing.isEmpty, "\(directory)/\(folder) is empty")
            results[folder + "/"] = Data(listing.joined(separator: "\n").utf8)
            names += listing.map { "\(folder)/\($0)" }
        }
        for name in names {
            results[name] = try Data(contentsOf: URL(fileURLWithPath: keel.path("\(directory)/\(name)")))
        }
        return results
    }
}
