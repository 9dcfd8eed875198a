import Foundation
import XCTest
import KeelTestSupport

/// A failed op check inside experiment code ends the process the same way in every build: one
/// `Error:` line naming the op and the shapes, a non-zero exit status, no crash report. A failing
/// check cannot be caught in-process, so each case runs `keel run` of a plugin experiment.
final class OpCheckTests: XCTestCase {
    private static let probe = """
        import Foundation
        import Keel

        final class OpCheckProbe: Experiment {
            override class var name: String { "op-check-probe" }
            override class var defaults: [String: HyperValue] { ["case": .string("add")] }
            override func run(_ context: ExperimentContext) throws {
                let hookFile = context.runDirectory.path + "/hook.txt"
                OpCheck.onFailure = { message in
                    let previous = (try? String(contentsOfFile: hookFile, encoding: .utf8)) ?? ""
                    try? (previous + message + "\\n").write(toFile: hookFile, atomically: true, encoding: .utf8)
                }
                let name = try context.string("case")
                if name == "failing-hook" {
                    // A hook that fails a check itself: the first failure is still the one reported.
                    OpCheck.onFailure = { _ in _ = Tensor.zeros([3]).reshaped([2]) }
                }
                context.log("before the failing op")
                let result: Tensor
                switch name {
                case "add", "failing-hook": result = Tensor.zeros([2, 3]) + Tensor.zeros([4])
                case "matmul": result = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
                case "reshape": result = Tensor.zeros([3, 4]).reshaped([5, 5])
                case "gather": result = Tensor.zeros([5, 2]).gathering(Tensor(shape: [2], int32s: [1, 7]))
                case "conv": result = Tensor.zeros([1, 2, 2, 1]).conv2d(Tensor.zeros([5, 5, 1, 2]))
                case "values": result = Tensor(shape: [2, 2], scalars: [1, 2, 3])
                case "gradient":
                    // A custom op whose backward rule returns a gradient of the wrong shape.
                    let w = Tensor.ones([3])
                    let tape = GradientTape()
                    tape.watch(w)
                    let loss = tape.record { () -> Tensor in
                        let out = Tensor(shape: [3], scalars: w.scalars.map { $0 * 2 })
                        GradientTape.recordOp(output: out, inputs: [w], backward: { _ in [Tensor.ones([5])] })
                        return out.sum()
                    }
                    result = tape.gradient(of: loss, wrt: w) ?? loss
                default: throw KeelError("unknown case")
                }
                context.log("not reached: \\(result.shape)")
            }
        }

        @_cdecl("keel_plugin_register")
        public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
            keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(OpCheckProbe.self) }
        }
        """

    /// Each case and the words its one error line must contain (the op and the shapes).
    private static let cases: [(name: String, fragments: [String])] = [
        ("add", ["add:", "[2, 3]", "[4]", "broadcast"]),
        ("matmul", ["matmul:", "[2, 3]", "[4, 5]"]),
        ("reshape", ["reshape:", "[3, 4]", "[5, 5]"]),
        ("gather", ["gather:", "index 7", "[5, 2]"]),
        ("conv", ["conv2d:", "[5, 5, 1, 2]", "[1, 2, 2, 1]"]),
        ("values", ["Tensor:", "3 values", "[2, 2]"]),
        ("gradient", ["GradientTape.gradient:", "[5]", "[3]"]),
        ("failing-hook", ["add:", "[2, 3]", "[4]"]),
    ]

    func testAFailedOpCheckEndsTheRunWithOneErrorLineAndNoBacktrace() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let plugin = try keel.plugin("OpCheckProbe", ["OpCheckProbe.swift": Self.probe])
        for (name, fragments) in Self.cases {
            let run = "run-\(name)"
            let result = try keel.run(["run", plugin.path, "--set", "case=\(name)", "--run-dir", run])
            XCTAssertEqual(result.status, 70, "\(name): exit status\n\(result.stdout)\n\(result.stderr)")
            let errorLines = result.stderr.split(separator: "\n").filter { $0.contains("Error:") }
            XCTAssertEqual(errorLines.count, 1, "\(name): expected one Error: line, stderr:\n\(result.stderr)")
            let line = String(errorLines.first ?? "")
            XCTAssertTrue(line.hasPrefix("Error: "), "\(name): \(line)")
            for fragment in fragments {
                XCTAssertTrue(line.contains(fragment), "\(name): the error line lacks '\(fragment)': \(line)")
            }
            for crashWord in ["Fatal error", "crashed", "Backtrace", "backtrace", "Stack dump", "Thread 0"] {
                XCTAssertFalse(result.stderr.contains(crashWord), "\(name): stderr has '\(crashWord)':\n\(result.stderr)")
            }
            // stdout printed before the failure is flushed, and nothing after it ran.
            XCTAssertTrue(result.stdout.contains("before the failing op"), "\(name): stdout\n\(result.stdout)")
            XCTAssertFalse(result.stdout.contains("not reached"), "\(name): stdout\n\(result.stdout)")
            if name == "failing-hook" {
                XCTAssertFalse(line.contains("reshape"), "the hook's own failure replaced the first one: \(line)")
                continue
            }
            // The hook ran exactly once, with the message the error line shows.
            let hook = (try? String(contentsOfFile: keel.path("\(run)/hook.txt"), encoding: .utf8)) ?? ""
            XCTAssertEqual(hook, String(line.dropFirst("Error: ".count)) + "\n", "\(name): the hook's record")
        }
    }
}
