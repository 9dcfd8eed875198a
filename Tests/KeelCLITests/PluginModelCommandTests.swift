import Foundation
import XCTest
import KeelTestSupport

/// `keel summary / predict / evaluate / fit` on models that name a plugin's components: the
/// plugins load as `keel run` loads them (package folders, `$KEEL_PLUGIN_PATH`, `--plugin`), also
/// through symlinks; prediction needs no optimizer; a missing compiler is one sentence.
final class PluginModelCommandTests: XCTestCase {
    /// A plugin with a layer of its own and an experiment that trains a model with that layer and
    /// the repository's Contrib RAdam, then saves it as .h5 and .keras.
    static let scaledRegression = """
        import Keel

        /// y = x · scale, one weight per feature.
        final class FeatureScale: Layer {
            override class var kerasClassName: String { "FeatureScale" }
            private var scale: Variable!

            override func build(inputShape: [Int]) {
                scale = addWeight(name: "scale", shape: [inputShape[inputShape.count - 1]], initializer: Ones())
            }

            override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] { try singleInput(inputShapes, rank: 2...8) }

            override func call(_ input: Tensor, training: Bool) -> Tensor { input * scale.value }
        }

        final class SaveScaled: Experiment {
            override class var name: String { "save-scaled" }

            override func run(_ context: ExperimentContext) throws {
                let input = Input(shape: [3])
                let output = try Dense(units: 1)(try FeatureScale()(input))
                let model = try Model(inputs: input, outputs: output)
                try model.compile(optimizer: "radam", loss: "mse")
                let x = Tensor(shape: [16, 3], scalars: (0..<48).map { Float($0 % 5) / 5 })
                _ = try model.fit(x, x.sum(axes: [1], keepDims: true), batchSize: 8, epochs: 2, verbose: 0)
                try model.save(to: context.runDirectory.path + "/scaled.h5")
                try model.save(to: context.runDirectory.path + "/scaled.keras")
                context.log("optimizer \\(type(of: model.optimizer!).kerasClassName)")
            }
        }

        public func registerPlugin(_ plugin: PluginRegistrar) throws {
            try plugin.addLayer(FeatureScale.self)
            try plugin.addExperiment(SaveScaled.self)
        }
        """

    func testAModelWithAPluginLayerAndRAdamOpensPredictsAndTrainsFromEveryKindOfPluginFolder() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let plugin = try keel.plugin("ScaledRegression", ["ScaledRegression.swift": Self.scaledRegression])
        let run = try keel.run(["run", plugin.path, "--run-dir", "run"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("optimizer RAdam"), run.stdout)
        let h5 = keel.path("run/scaled.h5"), archive = keel.path("run/scaled.keras")
        let x = keel.path("x.npy"), y = keel.path("y.npy")
        let made = try runPython("""
            import sys, numpy as np
            x = (np.arange(12, dtype=np.float32).reshape(4, 3) % 5) / 5
            np.save(sys.argv[1], x); np.save(sys.argv[2], x.sum(axis=1, keepdims=True))
            """, arguments: [x, y])
        XCTAssertEqual(made.status, 0, made.stderr)

        // Without the plugin: the class is named, and where Keel looked for it.
        for model in [h5, archive] {
            assertFails(try keel.run(["summary", model]),
                        mentioning: ["FeatureScale", "plugin folders searched", ProjectPaths.root.appendingPathComponent("Plugins").path])
        }

        // --plugin: the layer from the folder, RAdam from the repository's Contrib plugin, its state restored.
        let summary = try keel.run(["summary", h5, "--plugin", plugin.path])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("(FeatureScale)"), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("Optimizer params:"), summary.stdout)
        let predicted = try keel.run(["predict", archive, "--plugin", plugin.path, "--input", x, "--output", keel.path("p.npy")])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        XCTAssertTrue(keel.exists("p.npy"))
        XCTAssertEqual(predicted.stderr, "", "nothing to warn about")

        // A plugin that does not compile is a warning when the model does not need it, and named
        // among the plugins not loaded when it does.
        let broken = try keel.plugin("Broken", ["Broken.swift": "import Keel\nlet x: Int = \"not a number\"\n"])
        let despiteBroken = try keel.run(["predict", h5, "--plugin", broken.path, "--plugin", plugin.path,
                                          "--input", x, "--output", keel.path("q.npy")])
        XCTAssertEqual(despiteBroken.status, 0, despiteBroken.stderr)
        XCTAssertTrue(despiteBroken.stderr.hasPrefix("keel: warning: plugin 'Broken'") && despiteBroken.stderr.contains("does not compile"),
                      despiteBroken.stderr)
        assertFails(try keel.run(["summary", h5, "--plugin", broken.path]), mentioning: ["FeatureScale", "not loaded: Broken"])

        // $KEEL_PLUGIN_PATH naming the plugin folder.
        let evaluated = try keel.run(["evaluate", h5, "--x", x, "--y", y, "--json"], environment: ["KEEL_PLUGIN_PATH": plugin.path])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertTrue(evaluated.stdout.contains("\"loss\""), evaluated.stdout)

        // Symlinks to the plugin from a folder outside the repository: as --plugin, as a
        // $KEEL_PLUGIN_PATH entry holding the link, and as the working directory's Plugins/.
        let outside = ProjectPaths.temporaryDirectory("keel-plugin-links")
        defer { try? FileManager.default.removeItem(at: outside) }
        let link = outside.appendingPathComponent("LinkedScaled")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: plugin.path)
        let fitted = try keel.run(["fit", archive, "--plugin", link.path, "--x", x, "--y", y, "--epochs", "2",
                                   "--output", keel.path("trained.keras")])
        XCTAssertEqual(fitted.status, 0, fitted.stdout + fitted.stderr)
        XCTAssertTrue(keel.exists("trained.keras"))
        let reloaded = try keel.run(["evaluate", keel.path("trained.keras"), "--x", x, "--y", y],
                                    environment: ["KEEL_PLUGIN_PATH": outside.path])
        XCTAssertEqual(reloaded.status, 0, reloaded.stderr)
        XCTAssertTrue(reloaded.stdout.contains("loss:"), reloaded.stdout)
        let linkedPlugins = outside.appendingPathComponent("plugins-folder")
        try FileManager.default.createDirectory(at: linkedPlugins, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linkedPlugins.appendingPathComponent("Scaled").path,
                                                   withDestinationPath: plugin.path)
        try FileManager.default.createSymbolicLink(atPath: keel.path("Plugins"), withDestinationPath: linkedPlugins.path)
        let viaWorkingDirectory = try keel.run(["summary", keel.path("trained.keras")])
        XCTAssertEqual(viaWorkingDirectory.status, 0, viaWorkingDirectory.stderr)
        XCTAssertTrue(viaWorkingDirectory.stdout.contains("(FeatureScale)"), viaWorkingDirectory.stdout)

        assertFails(try keel.run(["summary", h5, "--plugin", keel.path("no-such-folder")]), mentioning: ["--plugin", "no-such-folder"])
    }

    /// Prediction needs no optimizer, loss or metric: a file naming ones no registry knows still
    /// predicts, with one warning naming the class; evaluate and fit refuse it, naming it too.
    func testPredictIgnoresAnUnknownOptimizerOrLossButEvaluateAndFitRefuseIt() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let mlp = ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp")
        let h5 = keel.path("unknown-optimizer.h5"), archive = keel.path("unknown-loss.keras")
        let edited = try runPython("""
            import sys, json, shutil, zipfile, h5py
            source, h5, archive = sys.argv[1:4]
            shutil.copy(source + "/model.h5", h5)
            with h5py.File(h5, "r+") as f:
                config = json.loads(f.attrs["training_config"])
                config["optimizer_config"]["class_name"] = "NoSuchOptimizer"
                f.attrs["training_config"] = json.dumps(config)
            with zipfile.ZipFile(source + "/model.keras") as z:
                members = {name: z.read(name) for name in z.namelist()}
            config = json.loads(members["config.json"])
            config["compile_config"]["loss"] = {"module": None, "class_name": "NoSuchLoss", "config": {}, "registered_name": None}
            members["config.json"] = json.dumps(config).encode()
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
                for name, data in members.items(): z.writestr(name, data)
            """, arguments: [mlp.path, h5, archive])
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let x = mlp.appendingPathComponent("x.npy").path
        for (model, unknown) in [(h5, "NoSuchOptimizer"), (archive, "NoSuchLoss")] {
            let predicted = try keel.run(["predict", model, "--input", x, "--output", keel.path("p.npy")])
            XCTAssertEqual(predicted.status, 0, predicted.stderr)
            let lines = predicted.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, predicted.stderr)
            XCTAssertTrue(lines.first?.contains("warning") == true && lines.first?.contains(unknown) == true, predicted.stderr)
            let check = try runPython("""
                import sys, numpy as np
                print(bool(np.allclose(np.load(sys.argv[1]), np.load(sys.argv[2]), atol=1e-4)))
                """, arguments: [keel.path("p.npy"), mlp.appendingPathComponent("pred.npy").path])
            XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "True", check.stderr)
            try FileManager.default.removeItem(atPath: keel.path("p.npy"))

            assertFails(try keel.run(["evaluate", model, "--x", x, "--y", x]), mentioning: [unknown, "compile configuration"])
            assertFails(try keel.run(["fit", model, "--x", x, "--y", x, "--output", keel.path("o.h5")]), mentioning: [unknown])
            XCTAssertFalse(keel.exists("o.h5"))
        }
    }

    /// Without `swiftc` on PATH (and nothing cached), a plugin cannot be built: one sentence
    /// saying so and where Keel looked, from the model commands, `keel run` and `keel doctor`.
    func testWithoutTheSwiftCompilerPluginsFailWithOneSentence() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let emptyBin = keel.path("bin-without-swiftc")
        try FileManager.default.createDirectory(atPath: emptyBin, withIntermediateDirectories: true)
        let environment: [String: String?] = ["PATH": emptyBin, "KEEL_PLUGIN_CACHE": keel.path("empty-cache")]
        // A model compiled with the Contrib plugin's RAdam.
        let model = keel.path("radam.h5")
        let edited = try runPython("""
            import sys, json, shutil, h5py
            shutil.copy(sys.argv[1], sys.argv[2])
            with h5py.File(sys.argv[2], "r+") as f:
                config = json.loads(f.attrs["training_config"])
                config["optimizer_config"] = {"class_name": "RAdam", "config": {"name": "radam", "learning_rate": 0.001}}
                f.attrs["training_config"] = json.dumps(config)
                del f["optimizer_weights"]
            """, arguments: [ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp/model.h5").path, model])
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let x = ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp/x.npy").path

        let sentence = "the Swift compiler (swiftc) is needed to build plugins, but it is in none of the folders on PATH (\(emptyBin))"
        let evaluated = try keel.run(["evaluate", model, "--x", x, "--y", x], environment: environment)
        assertFails(evaluated, mentioning: [sentence, "RAdam", "plugin folders searched", "Contrib"])
        let lines = evaluated.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "one warning, one error:\n\(evaluated.stderr)")
        XCTAssertTrue(lines.first?.hasPrefix("keel: warning: ") == true && lines.first?.contains(sentence) == true, evaluated.stderr)
        XCTAssertFalse(evaluated.stderr.contains("posix") || evaluated.stderr.contains("NSCocoaErrorDomain"), evaluated.stderr)

        let folder = try keel.plugin("Tiny", ["Tiny.swift": "import Keel\npublic func registerPlugin(_ plugin: PluginRegistrar) throws {}\n"])
        let run = try keel.run(["run", folder.path, "--run-dir", "run"], environment: environment)
        assertFails(run, mentioning: [sentence])
        XCTAssertTrue(run.stderr.split(separator: "\n").last?.hasPrefix("Error: \(sentence)") == true, run.stderr)

        assertFails(try keel.run(["doctor", "--size", "16"], environment: environment), mentioning: [sentence])
        let doctor = try keel.run(["doctor", "--size", "16"])
        XCTAssertEqual(doctor.status, 0, doctor.stderr)
        XCTAssertTrue(doctor.stdout.contains("swiftc: /") && doctor.stdout.contains("plugin cache: "), doctor.stdout)
    }
}
