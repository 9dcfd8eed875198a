import Foundation
import XCTest
import KeelTestSupport

/// The plugin guide's example is compiled and run as it is written in docs/writing-plugins.md,
/// so the guide cannot drift from the API.
final class DocumentationPluginTests: XCTestCase {
    func testTheGuidesExamplePluginBuildsTrainsAndListsItsComponents() throws {
        let guide = try String(contentsOf: ProjectPaths.root.appendingPathComponent("docs/writing-plugins.md"), encoding: .utf8)
        let source = try XCTUnwrap(Self.codeBlock(after: "## The example plugin", in: guide), "the guide has no example plugin")
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("DocsExample", ["DocsExample.swift": source])

        let run = try keel.run(["run", folder.path, "--run-dir", "run"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("epoch 2: loss"), "the guide's callback did not run:\n\(run.stdout)")
        XCTAssertTrue(run.stdout.contains("final loss"), run.stdout)

        let listed = try keel.run(["list"], environment: ["KEEL_PLUGIN_PATH": folder.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        for name in ["ScaleShift", "PowerError", "WithinTolerance", "docs-example"] {
            XCTAssertTrue(listed.stdout.contains(name), "keel list lacks \(name):\n\(listed.stdout)")
        }
    }

    /// A model the user builds wrongly inside an experiment: `keel run` ends with one `Error:`
    /// line naming the layer and the shapes, a non-zero status and no backtrace.
    func testAWronglyBuiltModelInAPluginIsOneErrorLine() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("WrongShapes", ["WrongShapes.swift": """
            import Keel
            final class WrongShapes: Experiment {
                override class var name: String { "wrong-shapes" }
                override func run(_ context: ExperimentContext) throws {
                    let a = Input(shape: [8]), b = Input(shape: [5])
                    _ = try Model(inputs: [a, b], outputs: [try Add()([a, b])])
                }
            }
            public func registerPlugin(_ plugin: PluginRegistrar) throws { try plugin.addExperiment(WrongShapes.self) }
            """])
        let run = try keel.run(["run", folder.path, "--run-dir", "run"])
        XCTAssertNotEqual(run.status, 0, run.stdout)
        let errorLines = run.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(errorLines.count, 1, "stderr:\n\(run.stderr)")
        let line = String(errorLines.first ?? "")
        XCTAssertTrue(line.hasPrefix("Error:"), line)
        XCTAssertTrue(line.contains("Add") && line.contains("(None, 8)") && line.contains("(None, 5)"), line)
    }

    /// The first ```swift block after `heading`.
    static func codeBlock(after heading: String, in text: String) -> String? {
        guard let start = text.range(of: heading),
              let open = text.range(of: "```swift\n", range: start.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound]) + "\n"
    }
}
