import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Helpers shared by the plain-format tests (NPY, NPZ, IDX, PNG, CSV, Gzip).
extension XCTestCase {
    /// A fresh directory for this test's files, removed when the test ends.
    func formatTestDirectory(_ label: String) -> URL {
        let url = ProjectPaths.temporaryDirectory("keel-\(label)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

enum FormatTesting {
    /// Runs `script` with the test venv's Python and returns its standard output; a failing
    /// script is a thrown error carrying its standard error.
    static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        let result = try runPython(script, arguments: arguments)
        guard result.status == 0 else {
            throw KeelError("python script", expected: "exit status 0",
                            found: "status \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// Parses `text` (a Python script's JSON output).
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }

    static func bytes(of url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }
}

/// Asserts that `body` throws a `KeelError` whose message contains every string of `mentions`
/// (typically the file path and the word "expected").
func assertThrowsKeelError<T>(_ body: @autoclosure () throws -> T, mentioning mentions: [String],
                              _ context: @autoclosure () -> String = "",
                              file: StaticString = #filePath, line: UInt = #line) {
    do {
        let value = try body()
        XCTFail("expected a KeelError, got \(value) \(context())", file: file, line: line)
    } catch let error as KeelError {
        for text in mentions where !error.message.contains(text) {
            XCTFail("KeelError \"\(error.message)\" does not mention \"\(text)\" \(context())", file: file, line: line)
        }
    } catch {
        XCTFail("expected a KeelError, got \(type(of: error)): \(error) \(context())", file: file, line: line)
    }
}

/// Writes each damaged variant of `good` to its own file and asserts that `read` rejects it
/// with a KeelError naming that file and saying what was expected.
func assertRejectsDamagedFiles(_ good: [UInt8], truncatedAt offsets: [Int], flippingBytesAt flips: [Int] = [],
                               in directory: URL, extension fileExtension: String,
                               read: (String) throws -> Any,
                               file: StaticString = #filePath, line: UInt = #line) throws {
    for offset in offsets where offset < good.count {
        let path = directory.appendingPathComponent("truncated-\(offset).\(fileExtension)").path
        try FormatTesting.write(Array(good.prefix(offset)), to: URL(fileURLWithPath: path))
        assertThrowsKeelError(try read(path), mentioning: [path, "expected"],
                              "(truncated to \(offset) of \(good.count) bytes)", file: file, line: line)
    }
    for offset in flips where offset < good.count {
        var damaged = good
        damaged[offset] ^= 0xFF
        let path = directory.appendingPathComponent("flipped-\(offset).\(fileExtension)").path
        try FormatTesting.write(damaged, to: URL(fileURLWithPath: path))
        assertThrowsKeelError(try read(path), mentioning: [path, "expected"],
                              "(byte \(offset) flipped)", file: file, line: line)
    }
}

/// Asserts the common failures of a reader: a missing path, an empty file, and garbage.
func assertRejectsMissingEmptyAndGarbage(in directory: URL, extension fileExtension: String,
                                         read: (String) throws -> Any,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
    let missing = directory.appendingPathComponent("missing.\(fileExtension)").path
    assertThrowsKeelError(try read(missing), mentioning: [missing, "expected", "no such file"],
                          file: file, line: line)
    let empty = directory.appendingPathComponent("empty.\(fileExtension)").path
    try FormatTesting.write([], to: URL(fileURLWithPath: empty))
    assertThrowsKeelError(try read(empty), mentioning: [empty, "expected", "empty"], file: file, line: line)
    var generator = SystemRandomNumberGenerator()
    let garbage = directory.appendingPathComponent("garbage.\(fileExtension)").path
    let noise = (0..<257).map { index in index == 0 ? UInt8(0x42) : UInt8.random(in: 1...255, using: &generator) }
    try FormatTesting.write(noise, to: URL(fileURLWithPath: garbage))
    assertThrowsKeelError(try read(garbage), mentioning: [garbage, "expected"], file: file, line: line)
}
