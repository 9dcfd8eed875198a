import Foundation
import XCTest
import KeelTestSupport

/// Plugins: folders of Swift sources compiled against the running engine and loaded into it.
final class PluginHostTests: XCTestCase {
    /// A plugin that registers a loss, and an experiment in another plugin that compiles a
    /// model with that loss by name: the loss must be in the same registry the host uses.
    func testOneEngineCopyPluginLossIsUsedByTheHost() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let lossPlugin = try keel.plugin("HalfSquaredLoss", ["HalfSquared.swift": """
            import Keel
            final class HalfSquared: Loss {
                override class var kerasClassName: String { "HalfSquared" }
                override func values(yTrue: Tensor, yPred: Tensor) -> Tensor { ((yPred - yTrue).squared() * 0.5).mean(axes: [-1]) }
            }
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in
                    try plugin.addLoss(HalfSquared.self, aliases: ["half_squared"])
                }
            }
            """])
        let experiment = try keel.plugin("UsesHalfSquared", ["Experiment.swift": """
            import Keel
            final class UsesHalfSquared: Experiment {
                override class var name: String { "uses-half-squared" }
                override func run(_ context: ExperimentContext) throws {
                    let input = Input(shape: [3])
                    let model = try Model(inputs: input, outputs: Dense(units: 1)(input))
                    try model.compile(optimizer: "sgd", loss: "half_squared")
                    let x = Tensor(repeating: 1, shape: [8, 3]), y = Tensor(repeating: 2, shape: [8, 1])
                    let history = try model.fit(x, y, batchSize: 4, epochs: 3, verbose: 0)
                    let losses = history.history["loss"] ?? []
                    context.log("loss class: \\(type(of: model.compiled!.losses[0]!).kerasClassName)")
                    context.log("losses: \\(losses)")
                    guard losses.count == 3, losses[2] < losses[0] else { throw KeelError("training did not reduce the loss") }
                }
            }
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(UsesHalfSquared.self) }
            }
            """])
        let environment = ["KEEL_PLUGIN_PATH": "\(lossPlugin.path):\(experiment.path)"]
        let listed = try keel.run(["list", "--kind", "losses"], environment: environment)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("HalfSquared"), listed.stdout)
        let run = try keel.run(["run", "uses-half-squared", "--run-dir", "run"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("loss class: HalfSquared"), run.stdout)
    }

    /// A model built wrongly in an experiment (a kernel larger than its input) stops `keel run`
    /// with one error line naming the layer and the shapes: no trap, no backtrace.
    func testAModelThatDoesNotFitStopsTheRunWithOneErrorLine() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("BadConv", ["BadConv.swift": """
            import Keel
            final class BadConv: Experiment {
                override class var name: String { "bad-conv" }
                override func run(_ context: ExperimentContext) throws {
                    let image = Input(shape: [2, 2, 1])
                    let features = try Conv2D(filters: 2, kernelSize: 5, name: "too_wide")(image)
                    context.log("built \\(features.shape)")
                }
            }
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(BadConv.self) }
            }
            """])
        let result = try keel.run(["run", folder.path, "--run-dir", "run"])
        assertFails(result, mentioning: ["Conv2D layer 'too_wide'", "(None, 2, 2, 1)"])
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr:\n\(result.stderr)")
        XCTAssertFalse(result.stdout.contains("built"), result.stdout)
    }

    /// A folder outside the repository, given on the command line.
    func testRunsAFolderOfSourcesTheEngineHasNeverSeen() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("Tiny", ["Tiny.swift": """
            import Keel
            final class Tiny: Experiment {
                override class var name: String { "tiny" }
                override class var defaults: [String: HyperValue] { ["factor": .double(2)] }
                override func run(_ context: ExperimentContext) throws {
                    let t = Tensor(shape: [3], scalars: [1, 2, 3]) * Float(try context.double("factor"))
                    context.log("tiny says \\(t.scalars)")
                }
            }
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(Tiny.self) }
            }
            """])
        let result = try keel.succeed(["run", folder.path, "--set", "factor=3", "--run-dir", "run"])
        XCTAssertTrue(result.stdout.contains("tiny says [3.0, 6.0, 9.0]"), result.stdout)
        // A second run reuses the cached library instead of compiling again.
        let again = try keel.succeed(["run", folder.path, "--run-dir", "run2"])
        XCTAssertTrue(again.stdout.contains("tiny says [2.0, 4.0, 6.0]"), again.stdout)
    }

    func testCompileErrorNamesThePluginTheFileAndTheCompilersMessage() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("Broken", ["Broken.swift": "import Keel\nlet x: Int = \"not a number\"\n"])
        let result = try keel.run(["run", folder.path])
        assertFails(result, mentioning: ["Broken", "does not compile", "Broken.swift:2", "error:"])
    }

    func testMissingEntryPointIsReported() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("NoEntry", ["NoEntry.swift": "import Keel\npublic func notTheEntry() -> Int { 1 }\n"])
        assertFails(try keel.run(["run", folder.path]), mentioning: ["NoEntry", "keel_plugin_register"])
    }

    func testMissingSymbolFailsAtLoadNotLater() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("MissingSymbol", ["Missing.swift": """
            import Keel
            @_silgen_name("keel_symbol_that_does_not_exist") func missing() -> Int32
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 { missing() }
            """])
        assertFails(try keel.run(["run", folder.path]), mentioning: ["MissingSymbol", "cannot be loaded", "keel_symbol_that_does_not_exist"])
    }

    func testStaleBuildIdentityIsRefused() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("Stale", ["Stale.swift": """
            import Keel
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: "an-older-engine") { _ in }
            }
            """])
        assertFails(try keel.run(["run", folder.path]), mentioning: ["Stale", "an-older-engine", "rebuild"])
    }

    func testTwoPluginsRegisteringOneNameAreNamedBoth() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        func plugin(_ name: String) throws -> URL {
            try keel.plugin(name, ["P.swift": """
                import Keel
                @_cdecl("keel_plugin_register")
                public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                    keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in
                        try plugin.addActivation("twice") { $0 * 2 }
                    }
                }
                """])
        }
        let first = try plugin("FirstTwice"), second = try plugin("SecondTwice")
        let result = try keel.run(["list", "--kind", "activations"], environment: ["KEEL_PLUGIN_PATH": "\(first.path):\(second.path)"])
        XCTAssertEqual(result.status, 0, "one failing plugin must not stop the others: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("twice"), result.stdout)
        XCTAssertTrue(result.stderr.contains("FirstTwice") && result.stderr.contains("SecondTwice"), result.stderr)
    }

    /// The identity a plugin is built against is that of libKeel.so itself (its hash and size), so
    /// rebuilding the engine rebuilds the plugins rather than loading stale ones.
    func testPluginsAreBuiltAgainstTheEngineLibraryIdentity() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("Identity", ["Identity.swift": """
            import Keel
            final class Identity: Experiment {
                override class var name: String { "identity" }
                override func run(_ context: ExperimentContext) throws { context.log("engine " + keelPluginBuildIdentity) }
            }
            @_cdecl("keel_plugin_register")
            public func register(_ context: UnsafeMutableRawPointer) -> Int32 {
                keelPluginMain(context, builtAgainst: keelPluginBuildIdentity) { plugin in try plugin.addExperiment(Identity.self) }
            }
            """])
        let result = try keel.succeed(["run", folder.path, "--run-dir", "run"])
        let library = ProjectPaths.buildProducts.appendingPathComponent("libKeel.so").resolvingSymlinksInPath().path
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: library)[.size] as? NSNumber).intValue
        XCTAssertTrue(result.stdout.contains("engine ") && result.stdout.contains("-" + String(size, radix: 16) + "\n"),
                      "identity should end with libKeel.so's size \(String(size, radix: 16)):\n\(result.stdout)")
    }

    func testContribPluginBringsRAdamAndAFocalLoss() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let optimizers = try keel.succeed(["list", "--kind", "optimizers"])
        XCTAssertTrue(optimizers.stdout.contains("RAdam"), optimizers.stdout)
        let losses = try keel.succeed(["list", "--kind", "losses"])
        XCTAssertTrue(losses.stdout.contains("LabelSmoothedFocalLoss"), losses.stdout)
    }
}
