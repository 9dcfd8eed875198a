import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// Saved models in both directions, data-driven over `h5/manifest.json` and
/// `tfkeras2/manifest.json`: every file Keras (or tf.keras 2) wrote loads in Keel and predicts
/// what Keras predicted; every model Keel saves again (.h5, .keras, .weights.h5) reloads in Keel
/// and in Keras 3.15.1 (the test venv) with the same predictions.
final class SavedModelParityTests: XCTestCase {
    static let tolerance: Float = 1e-4

    func testEveryFixtureFileLoadsAndPredicts() throws {
        var filesChecked = 0
        for model in try SavedModelCase.all() {
            let inputs = try model.inputTensors()
            let expected = try model.expectedOutputs()
            var architecture: Model?
            for file in model.files where !file.hasSuffix(".weights.h5") {
                let loaded = try Model.load(from: model.path(file))
                architecture = architecture ?? loaded
                try assertPredictions(of: loaded, inputs, match: expected, "\(model.id)/\(file)")
                try assertWeights(of: loaded, match: model.weights, "\(model.id)/\(file)")
                if model.isCompiled(file) {
                    XCTAssertNotNil(loaded.compiled, "\(model.id)/\(file): the saved training config was not compiled")
                }
                filesChecked += 1
            }
            for file in model.files where file.hasSuffix(".weights.h5") {
                let architecture = try XCTUnwrap(architecture, "\(model.id): no full model file gives the architecture for \(file)")
                let rebuilt = try ModelConfig.model(from: ModelConfig.config(of: architecture))
                try rebuilt.loadWeights(from: model.path(file))
                try assertPredictions(of: rebuilt, inputs, match: expected, "\(model.id)/\(file)")
                try assertWeights(of: rebuilt, match: model.weights, "\(model.id)/\(file)")
                filesChecked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(filesChecked, 8)
        print("SavedModelParityTests: \(filesChecked) Keras-written files loaded and predicted")
    }

    /// Saving a model loaded from a Keras 3 `.h5` writes the same `model_config`,
    /// `training_config` and name lists Keras wrote, byte for byte.
    func testLegacyH5AttributesMatchWhatKerasWrote() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-saved-configs")
        defer { try? FileManager.default.removeItem(at: directory) }
        var compared = 0
        for model in try SavedModelCase.all() {
            for file in model.files where file.hasSuffix(".h5") && !file.hasSuffix(".weights.h5") {
                let original = try HDF5File(model.path(file))
                defer { try? original.close() }
                guard try original.root.attributeString("keras_version").hasPrefix("3.") else { continue }
                let written = directory.appendingPathComponent("\(model.id).h5").path
                try Model.load(from: model.path(file)).save(to: written)
                let copy = try HDF5File(written)
                defer { try? copy.close() }
                for attribute in ["model_config", "training_config"] where try original.root.hasAttribute(attribute) {
                    XCTAssertEqual(try copy.root.attributeString(attribute), try original.root.attributeString(attribute),
                                   "\(model.id)/\(file): \(attribute)")
                }
                let layerNames = try original.root.group("model_weights").attributeStrings("layer_names")
                XCTAssertEqual(try copy.root.group("model_weights").attributeStrings("layer_names"), layerNames,
                               "\(model.id)/\(file): layer_names")
                for name in layerNames {
                    XCTAssertEqual(try copy.root.group("model_weights/\(name)").attributeStrings("weight_names"),
                                   try original.root.group("model_weights/\(name)").attributeStrings("weight_names"),
                                   "\(model.id)/\(file): weight_names of \(name)")
                }
                if try original.root.contains("optimizer_weights") {
                    XCTAssertEqual(try copy.root.group("optimizer_weights").attributeStrings("weight_names"),
                                   try original.root.group("optimizer_weights").attributeStrings("weight_names"),
                                   "\(model.id)/\(file): optimizer weight_names")
                }
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 4)
    }

    /// Saving a model loaded from a Keras `.keras` archive writes the `config.json` Keras wrote,
    /// byte for byte once Keras's `shared_object_id` markers (object identities of that Python
    /// process) are taken out.
    func testArchiveConfigMatchesWhatKerasWrote() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-saved-archives")
        defer { try? FileManager.default.removeItem(at: directory) }
        var compared = 0
        for model in try SavedModelCase.all() {
            for file in model.files where file.hasSuffix(".keras") {
                let written = directory.appendingPathComponent("\(model.id).keras").path
                try Model.load(from: model.path(file)).save(to: written)
                func config(_ path: String) throws -> String {
                    let archive = try ZipArchive.read(bytes: FileBytes.read(path), name: path)
                    let text = String(decoding: try archive.contents(of: KerasArchive.configMember), as: UTF8.self)
                    return Self.withoutSharedObjectIDs(try JSONValue.parse(text)).serialized()
                }
                XCTAssertEqual(try config(written), try config(model.path(file)), "\(model.id)/\(file): config.json")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 1)
    }

    private static func withoutSharedObjectIDs(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(withoutSharedObjectIDs))
        case .object(let object):
            var result = JSONObject()
            for (key, item) in object where key != "shared_object_id" { result[key] = withoutSharedObjectIDs(item) }
            return .object(result)
        default: return value
        }
    }

    func testKeelSavedFilesReloadInKeelAndKeras() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-saved-models")
        defer { try? FileManager.default.removeItem(at: directory) }
        var jobs: [KerasLoadJob] = []
        var expectations: [String: (outputs: [Tensor], optimizer: [(path: String, absoluteSum: Double)]?)] = [:]
        var models: [KeelSavedModel] = []
        for model in try SavedModelCase.all() {
            models.append(KeelSavedModel(id: model.id, original: try Model.load(from: model.path(model.files[0])),
                                         inputs: try model.inputTensors(), inputPaths: model.inputs.map { model.path($0) },
                                         expected: try model.expectedOutputs()))
        }
        models += try Self.modelsTrainedWithTheNewerOptimizers(in: directory)
        for model in models {
            let base = directory.appendingPathComponent(model.id).path
            let legacy = base + ".h5", archive = base + ".keras", weights = base + ".weights.h5"
            try model.original.save(to: legacy)
            try model.original.save(to: archive)
            try model.original.saveWeights(to: weights)

            for path in [legacy, archive] {
                let reloaded = try Model.load(from: path)
                try assertPredictions(of: reloaded, model.inputs, match: model.expected, "Keel reload of \(path)")
                XCTAssertEqual(reloaded.compiled != nil, model.original.compiled != nil, "\(path): compiled state")
                try assertSameOptimizerState(reloaded, model.original, path)
            }
            let rebuilt = try ModelConfig.model(from: ModelConfig.config(of: model.original))
            try rebuilt.loadWeights(from: weights)
            try assertPredictions(of: rebuilt, model.inputs, match: model.expected, "Keel reload of \(weights)")

            if model.legacyLoadsInKeras { jobs.append(KerasLoadJob(file: legacy, architecture: nil, inputs: model.inputPaths)) }
            jobs.append(KerasLoadJob(file: archive, architecture: nil, inputs: model.inputPaths))
            jobs.append(KerasLoadJob(file: weights, architecture: legacy, inputs: model.inputPaths))
            let optimizerSums = model.original.optimizer?.variables.map { ($0.path, Self.absoluteSum($0.value)) }
            for path in [legacy, archive, weights] { expectations[path] = (model.expected, optimizerSums) }
        }
        let results = try KerasLoadJob.run(jobs, scratch: directory)
        XCTAssertEqual(results.count, jobs.count)
        for result in results {
            let file = try XCTUnwrap(result["file"]?.stringValue)
            if let error = result["error"]?.stringValue {
                XCTFail("Keras could not load \(file): \(error)")
                continue
            }
            guard let expectation = expectations[file] else {
                XCTFail("Keras reported on \(file), which was not asked for")
                continue
            }
            let predictions = result["predictions"]?.arrayValue ?? []
            XCTAssertEqual(predictions.count, expectation.outputs.count, "Keras outputs of \(file)")
            for (index, (prediction, wanted)) in zip(predictions, expectation.outputs).enumerated() {
                Fixtures.assertClose(Fixtures.tensor(prediction), wanted, tolerance: Self.tolerance,
                                     "Keras prediction \(index) of \(file)")
            }
            // Keras 3.15.1 restores optimizer state from .keras archives (from legacy .h5 it
            // builds an optimizer without slots, keras-spec fixtures README), so compare there,
            // in order: Keras names a reloaded Sequential's variables without the model prefix.
            if file.hasSuffix(".keras"), let wanted = expectation.optimizer {
                XCTAssertEqual(result["compiled"]?.boolValue, true, "Keras compiled state of \(file)")
                let sums = (result["optimizer"]?.arrayValue ?? []).compactMap { $0.arrayValue?.last?.doubleValue }
                XCTAssertEqual(sums.count, wanted.count, "Keras optimizer variables of \(file)")
                for ((path, value), found) in zip(wanted, sums) {
                    XCTAssertEqual(found, value, accuracy: 1e-4 * max(1, abs(value)), "Keras optimizer \(path) of \(file)")
                }
            }
        }
        print("SavedModelParityTests: \(jobs.count) Keel-written files reloaded in Keel and Keras")
    }

    /// Small models Keel compiled with Adafactor, Lamb and Muon and trained two steps, so their
    /// saved optimizer state (Adafactor's alike-named statistics and int32 placeholders, Muon's
    /// velocities for some variables only) goes to Keras too; expected outputs are Keel's.
    private static func modelsTrainedWithTheNewerOptimizers(in directory: URL) throws -> [KeelSavedModel] {
        let optimizers: [Optimizer] = [Adafactor(learningRate: 0.05), Lamb(learningRate: 0.01, weightDecay: 0.01),
                                       Muon(learningRate: 0.02, excludeLayers: ["scores"])]
        let x = Tensor(shape: [4, 4], scalars: (0..<16).map { Float($0 % 7) / 4 - 0.6 })
        let y = Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0 % 3) - 1 })
        let inputPath = directory.appendingPathComponent("newer-optimizers-x.npy").path
        try NPY.write(x.arrayData, to: inputPath)
        return try optimizers.map { optimizer in
            let input = Input(shape: [4], name: "features")
            let hidden = try Dense(units: 3, activation: "tanh", name: "hidden")(input)
            let model = try Model(inputs: input, outputs: Dense(units: 2, name: "scores")(hidden), name: "scorer")
            try model.compile(optimizer: .optimizer(optimizer), loss: "mse")
            try model.fit(x, y, batchSize: 2, verbose: 0, shuffle: false)
            // Keras 3.15.1 cannot compile a legacy .h5 whose optimizer is Lamb, even one Keras wrote:
            // its .h5 loader looks optimizers up in `ALL_OBJECTS_DICT`, which lacks Lamb.
            return KeelSavedModel(id: "trained-with-\(type(of: optimizer).defaultName)", original: model, inputs: [x],
                                  inputPaths: [inputPath], expected: try model.predict([x], verbose: 0),
                                  legacyLoadsInKeras: !(optimizer is Lamb))
        }
    }

    /// A model Keel saves in every format, with the inputs Keras predicts from and what it should predict.
    private struct KeelSavedModel {
        let id: String
        let original: Model
        let inputs: [Tensor]
        let inputPaths: [String]
        let expected: [Tensor]
        var legacyLoadsInKeras = true
    }

    // MARK: Checks

    private func assertPredictions(of model: Model, _ inputs: [Tensor], match expected: [Tensor], _ what: String) throws {
        let outputs = try model.predict(inputs, verbose: 0)
        XCTAssertEqual(outputs.count, expected.count, "\(what): number of outputs")
        for (index, (output, wanted)) in zip(outputs, expected).enumerated() {
            Fixtures.assertClose(output, wanted, tolerance: Self.tolerance, "\(what): output \(index)")
        }
    }

    private func assertWeights(of model: Model, match listed: [SavedModelCase.Weight], _ what: String) throws {
        guard !listed.isEmpty else { return }
        XCTAssertEqual(model.weights.map(\.path), listed.map(\.path), "\(what): weight paths in order")
        for weight in listed {
            let layer = try model.getLayer(name: weight.layer)
            let variable = layer.weights.first { $0.path == weight.path }
            XCTAssertEqual(variable?.name, weight.name, "\(what): weight \(weight.path) of layer \(weight.layer)")
            XCTAssertEqual(variable?.shape, weight.shape, "\(what): shape of \(weight.path)")
        }
    }

    private func assertSameOptimizerState(_ reloaded: Model, _ original: Model, _ what: String) throws {
        guard let saved = original.optimizer else { return }
        let restored = try XCTUnwrap(reloaded.optimizer, "\(what): no optimizer after loading")
        XCTAssertEqual(restored.iterations, saved.iterations, "\(what): optimizer iterations")
        XCTAssertEqual(restored.variables.map(\.path), saved.variables.map(\.path), "\(what): optimizer variables")
        for (after, before) in zip(restored.variables, saved.variables) {
            Fixtures.assertClose(after.value, before.value, tolerance: 0, "\(what): optimizer \(before.path)")
        }
    }

    static func absoluteSum(_ tensor: Tensor) -> Double {
        tensor.scalars.reduce(0) { $0 + Double(abs($1)) }
    }
}

/// One model of a saved-model manifest: its files, inputs, expected outputs and weights.
struct SavedModelCase {
    struct Weight {
        let layer: String
        let name: String
        let path: String
        let shape: [Int]
    }

    let id: String
    let directory: URL
    let files: [String]
    let inputs: [String]
    let outputs: [String]
    let weights: [Weight]
    /// Whether the manifest's source says the files carry compile arguments.
    let hasTrainingConfig: Bool

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func isCompiled(_ file: String) -> Bool { hasTrainingConfig && !file.hasSuffix(".weights.h5") }

    func inputTensors() throws -> [Tensor] { try inputs.map { Tensor(try NPY.read(path($0))) } }
    func expectedOutputs() throws -> [Tensor] { try outputs.map { Tensor(try NPY.read(path($0))) } }

    /// Every model of `h5/manifest.json` and `tfkeras2/manifest.json`.
    static func all() throws -> [SavedModelCase] {
        var cases: [SavedModelCase] = []
        for manifestName in ["h5/manifest.json", "tfkeras2/manifest.json"] {
            let manifest = try Fixtures.load(manifestName)
            let base = Fixtures.directory.appendingPathComponent(manifestName).deletingLastPathComponent()
            let models = try XCTUnwrap(manifest["models"]?.arrayValue, "\(manifestName): no models")
            for value in models {
                let entry = try XCTUnwrap(value.objectValue, "\(manifestName): a model entry is not an object")
                let id = try XCTUnwrap(entry["id"]?.stringValue, "\(manifestName): a model without id")
                let directory = entry["dir"]?.stringValue.map { base.appendingPathComponent($0) } ?? base
                let files = entry["files"]?.arrayValue?.compactMap(\.stringValue) ?? [entry["file"]?.stringValue].compactMap { $0 }
                let weights = (entry["weights"]?.arrayValue ?? []).compactMap(\.objectValue).compactMap { w -> Weight? in
                    guard let layer = w["layer"]?.stringValue, let name = w["name"]?.stringValue,
                          let path = w["path"]?.stringValue, let shape = w["shape"]?.arrayValue?.compactMap(\.intValue) else { return nil }
                    return Weight(layer: layer, name: name, path: path, shape: shape)
                }
                XCTAssertFalse(files.isEmpty, "\(manifestName) \(id): no files")
                let trainingConfigured = try files.first { $0.hasSuffix(".h5") && !$0.hasSuffix(".weights.h5") }
                    .map { try hasTrainingConfig(directory.appendingPathComponent($0).path) } ?? false
                cases.append(SavedModelCase(id: id, directory: directory, files: files,
                                            inputs: entry["inputs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                            outputs: entry["outputs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                            weights: weights, hasTrainingConfig: trainingConfigured))
            }
        }
        return cases
    }

    private static func hasTrainingConfig(_ path: String) throws -> Bool {
        let file = try HDF5File(path)
        defer { try? file.close() }
        return try file.root.hasAttribute("training_config")
    }
}

/// A file Keel wrote, for Keras to load: a full model (`architecture` nil) or weights to load
/// into the architecture of the Keel-written `.h5` at `architecture`.
struct KerasLoadJob {
    let file: String
    let architecture: String?
    let inputs: [String]

    /// Loads every file with `keras.saving.load_model` in one Python process and returns, per
    /// file, `{"file", "predictions", "compiled", "optimizer": [[path, sum of |values|], ...]}` or
    /// `{"file", "error"}`.
    static func run(_ jobs: [KerasLoadJob], scratch: URL) throws -> [JSONObject] {
        let jobList = JSONValue.array(jobs.map { job in
            ["file": .string(job.file), "architecture": job.architecture.map { .string($0) } ?? .null,
             "inputs": .array(job.inputs.map { .string($0) })]
        })
        let jobFile = scratch.appendingPathComponent("keras-jobs.json")
        try jobList.serialized().write(to: jobFile, atomically: true, encoding: .utf8)
        let result = try runPython(script, arguments: [jobFile.path])
        guard result.status == 0, let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix(marker) }) else {
            throw KeelError("Keras loading Keel's files (exit status \(result.status))",
                            expected: "a line of results; `make test` installs keras and jax into .venv-test",
                            found: String(result.stderr.suffix(3000)))
        }
        let parsed = try JSONValue.parse(String(line.dropFirst(marker.count)), source: "Keras results")
        return (parsed.arrayValue ?? []).compactMap(\.objectValue)
    }

    static let marker = "KEEL-KERAS-RESULTS "

    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    assert keras.__version__ == "3.15.1", keras.__version__
    results = []
    for job in json.load(open(sys.argv[1])):
        try:
            if job["architecture"] is None:
                model = keras.saving.load_model(job["file"])
            else:
                model = keras.saving.load_model(job["architecture"], compile=False)
                model.load_weights(job["file"])
            xs = [np.load(path) for path in job["inputs"]]
            outputs = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
            outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
            optimizer = getattr(model, "optimizer", None) if job["architecture"] is None else None
            sums = None
            if optimizer is not None:
                sums = [[v.path, float(np.sum(np.abs(np.asarray(v, dtype=np.float64))))] for v in optimizer.variables]
            results.append({"file": job["file"], "predictions": [o.tolist() for o in outputs],
                            "compiled": bool(getattr(model, "compiled", False)), "optimizer": sums})
        except Exception as error:
            results.append({"file": job["file"], "error": f"{type(error).__name__}: {error}"})
    print("KEEL-KERAS-RESULTS " + json.dumps(results))
    """
}
