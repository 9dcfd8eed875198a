import Foundation
import KeelIO
import KeelTestSupport

/// Files a Python script writes into a fresh directory, with the JSON the script printed about
/// them. The scripts start TensorFlow, which takes seconds, so a test class makes them once
/// (`prepared`) and removes them in its class `tearDown` (`remove`).
final class PythonMadeFiles {
    private let name: String
    private let script: String
    private var made: (directory: URL, printed: [String: [String: [Int]]])?

    /// `script` gets the directory as its only argument and prints a JSON object of objects of
    /// integer lists (per file, what the reference decoder made of it).
    init(name: String, script: String) {
        self.name = name
        self.script = script
    }

    func prepared() throws -> (directory: URL, printed: [String: [String: [Int]]]) {
        if let made { return made }
        let directory = ProjectPaths.temporaryDirectory(name)
        let output = try FormatTesting.json(FormatTesting.python(script, [directory.path]))
        guard let printed = output as? [String: [String: [Int]]] else {
            throw KeelError("the script writing \(name)'s files", expected: "a JSON object of integer lists", found: "\(output)")
        }
        made = (directory, printed)
        return (directory, printed)
    }

    func remove() {
        if let made { try? FileManager.default.removeItem(at: made.directory) }
        made = nil
    }
}
