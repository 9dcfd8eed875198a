import Foundation

/// What a finished child process left behind.
public struct ProcessResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum TestSupportError: Error, CustomStringConvertible {
    case missingTool(String)
    public var description: String {
        switch self { case .missingTool(let reason): return reason }
    }
}

/// Runs `executable` with `arguments` and waits, capturing both output streams.
/// `environment` entries are added to (or, with a nil value, removed from) this process's.
public func runProcess(_ executable: URL, _ arguments: [String],
                       environment: [String: String?] = [:],
                       currentDirectory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let errData = errBox.data
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs a Python script with the test venv's interpreter (numpy, h5py, keras pinned there).
/// Fails — never skips — when the venv is missing, saying how to make it.
public func runPython(_ script: String, arguments: [String] = []) throws -> ProcessResult {
    let python = ProjectPaths.venvPython
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
        throw TestSupportError.missingTool(
            "the test venv \(python.path) is missing; `make test` creates it (python3 -m venv + pip install -r Tests/requirements-test.txt)")
    }
    return try runProcess(python, ["-c", script] + arguments)
}
