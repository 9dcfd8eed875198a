import Foundation
import XCTest
import KeelTestSupport

/// Runs the built `keel` binary in a scratch directory, as a user would.
struct KeelProcess {
    let directory: URL

    init() {
        directory = ProjectPaths.temporaryDirectory("keel-cli")
    }

    /// `keel <arguments>` with the scratch directory as the working directory.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        try runProcess(ProjectPaths.keelExecutable, arguments, environment: environment, currentDirectory: directory)
    }

    /// Runs and fails the test (with both streams) unless the exit status is 0.
    @discardableResult
    func succeed(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "keel \(arguments.joined(separator: " ")) failed:\n\(result.stdout)\n\(result.stderr)",
                       file: file, line: line)
        return result
    }

    /// Starts `keel <arguments>` in the scratch directory without waiting for it (output
    /// discarded): for tests that kill a run or look at it while it trains.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = ProjectPaths.keelExecutable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Writes a plugin folder `name` with `sources` (file name → text) under the scratch directory.
    func plugin(_ name: String, _ sources: [String: String]) throws -> URL {
        let folder = directory.appendingPathComponent("plugins/\(name)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (file, text) in sources { try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        return folder
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Asserts a failed command: non-zero status, nothing half-done on stdout's last line, and the
/// error on stderr mentioning every `fragment`.
func assertFails(_ result: ProcessResult, mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(result.status, 0, "expected a failure, got success:\n\(result.stdout)", file: file, line: line)
    for fragment in fragments {
        XCTAssertTrue(result.stderr.contains(fragment), "stderr lacks '\(fragment)':\n\(result.stderr)", file: file, line: line)
    }
}
