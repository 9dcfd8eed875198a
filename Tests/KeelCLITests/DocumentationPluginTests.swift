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

    /// Every model-building mistake of issue 11, made inside an experiment: `keel run` ends with
    /// one `Error:` line naming the layer (or the metric) and what did not fit, a non-zero status
    /// and no backtrace.
    func testEveryWronglyBuiltModelInAPluginIsOneErrorLine() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("WrongModels", ["WrongModels.swift": """
            import Keel
            final class WrongModels: Experiment {
                override class var name: String { "wrong-models" }
                override class var defaults: [String: HyperValue] { ["case": .string("add")] }
                override func run(_ context: ExperimentContext) throws {
                    let image = Input(shape: [2, 2, 1]), flat = Input(shape: [8])
                    switch try context.string("case") {
                    case "add": _ = try Add()([flat, Input(shape: [5])])
                    case "reshape": _ = try Reshape(targetShape: [5, 5])(Input(shape: [12]))
                    case "concatenate": _ = try Concatenate()([Input(shape: [8, 3]), Input(shape: [5, 2])])
                    case "one-input": _ = try Concatenate()([flat])
                    case "kernel": _ = try Conv2D(filters: 2, kernelSize: 5)(image)
                    case "conv-rank": _ = try Conv2D(filters: 2, kernelSize: 3)(flat)
                    case "pool-rank": _ = try MaxPooling2D()(flat)
                    case "units": _ = try Dense(units: 0)(flat)
                    case "activation": _ = try Dense(units: 2, activation: "relux")(flat)
                    default:
                        let model = try Model(inputs: flat, outputs: try Dense(units: 2)(flat))
                        try model.compile(optimizer: "adam", loss: "mse", metrics: ["acc", "f1", "bogus"])
                    }
                }
            }
            public func registerPlugin(_ plugin: PluginRegistrar) throws { try plugin.addExperiment(WrongModels.self) }
            """])
        let expectations: [(String, [String])] = [
            ("add", ["Add", "(None, 8)", "(None, 5)"]), ("reshape", ["Reshape", "(None, 12)", "[5, 5]"]),
            ("concatenate", ["Concatenate", "(None, 8, 3)", "(None, 5, 2)"]), ("one-input", ["Concatenate", "(None, 8)"]),
            ("kernel", ["Conv2D", "(None, 2, 2, 1)"]), ("conv-rank", ["Conv2D", "(None, 8)"]),
            ("pool-rank", ["MaxPooling2D", "(None, 8)"]), ("units", ["Dense", "units"]),
            ("activation", ["Dense", "relux"]), ("metrics", ["f1"]),
        ]
        for (name, fragments) in expectations {
            let run = try keel.run(["run", folder.path, "--run-dir", "run-\(name)", "--set", "case=\(name)"])
            XCTAssertNotEqual(run.status, 0, "\(name): \(run.stdout)")
            let lines = run.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            XCTAssertEqual(lines.count, 1, "\(name): stderr:\n\(run.stderr)")
            let line = String(lines.first ?? "")
            XCTAssertTrue(line.hasPrefix("Error:"), "\(name): \(line)")
            for fragment in fragments { XCTAssertTrue(line.contains(fragment), "\(name): '\(fragment)' missing from \(line)") }
        }
    }

    /// The first ```swift block after `heading`.
    static func codeBlock(after heading: String, in text: String) -> String? {
        guard let start = text.range(of: heading),
              let open = text.range(of: "```swift\n", range: start.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound]) + "\n"
    }
}
