import Foundation
import Keel
import KeelTestSupport

/// Runs a Keras script of the test venv on a list of cases written as JSON (its first argument)
/// and reads back the one line it prints after `marker`: a JSON list of results, one per case.
/// Keras computes the expected values at test time, so none is typed into a test.
enum KerasScriptResults {
    static func run(_ script: String, cases: JSONValue, marker: String, what: String) throws -> [JSONObject] {
        let directory = ProjectPaths.temporaryDirectory("keel-keras-script")
        defer { try? FileManager.default.removeItem(at: directory) }
        let jobFile = directory.appendingPathComponent("cases.json")
        try cases.serialized().write(to: jobFile, atomically: true, encoding: .utf8)
        let result = try runPython(script, arguments: [jobFile.path])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) else {
            throw KeelError("Keras \(what) (exit status \(result.status))",
                            expected: "a line of results; `make test` installs keras and jax into .venv-test",
                            found: String(result.stderr.suffix(3000)))
        }
        let parsed = try JSONValue.parse(String(line.dropFirst(marker.count)), source: "Keras results")
        return (parsed.arrayValue ?? []).compactMap(\.objectValue)
    }
}
