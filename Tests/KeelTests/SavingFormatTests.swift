import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// The layouts Keel writes (keras-spec §1, §2) and what compiling from a saved file restores.
final class SavingFormatTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = ProjectPaths.temporaryDirectory("keel-saving-format")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func functionalModel() throws -> Model {
        let input = Input(shape: [4], name: "features")
        let hidden = try Dense(units: 3, activation: "relu", name: "hidden")(input)
        return try Model(inputs: input, outputs: Dense(units: 2, name: "scores")(hidden), name: "scorer")
    }

    func testKerasArchiveMembersAndWeightsLayout() throws {
        let model = try functionalModel()
        try model.compile(optimizer: "adam", loss: "mse")
        let variables = model.trainableWeights
        model.optimizer!.apply(variables.map { Tensor.ones($0.shape) }, to: variables)
        try model.save(to: path("scorer.keras"))

        let bytes = try FileBytes.read(path("scorer.keras"))
        let archive = try ZipArchive.read(bytes: bytes, name: "scorer.keras")
        XCTAssertEqual(archive.memberNames, ["metadata.json", "config.json", "model.weights.h5"])
        XCTAssertEqual(ZipLayout(bytes).entries.map(\.method), [0, 0, 0], "members are stored, as Keras writes them")
        let config = try JSONValue.parse(String(decoding: try archive.contents(of: "config.json"), as: UTF8.self))
        let object = try XCTUnwrap(config.objectValue)
        XCTAssertEqual(object.keys, ["module", "class_name", "config", "registered_name", "build_config", "compile_config"])
        XCTAssertEqual(object["module"], "keras.src.models.functional")
        let dense = try XCTUnwrap(object["config"]?.objectValue?["layers"]?.arrayValue?[1].objectValue)
        XCTAssertEqual(dense.keys, ["module", "class_name", "config", "registered_name", "build_config", "name", "inbound_nodes"])
        XCTAssertEqual(dense["build_config"], ["input_shape": [nil, 4]])
        let compileConfig = try XCTUnwrap(object["compile_config"]?.objectValue)
        XCTAssertEqual(compileConfig.keys.first, "optimizer")
        XCTAssertEqual(compileConfig["loss"], "mean_squared_error", "short loss aliases are written so Keras can load them")

        let weightsPath = path("scorer.weights.h5")
        try model.saveWeights(to: weightsPath)
        let file = try HDF5File(weightsPath)
        defer { try? file.close() }
        XCTAssertEqual(try file.root.group("vars").attributeString("name"), "scorer")
        XCTAssertEqual(try file.root.group("layers/input_layer/vars").attributeString("name"), "features")
        XCTAssertEqual(try file.root.group("layers/dense/vars").attributeString("name"), "hidden")
        XCTAssertEqual(try file.root.group("layers/dense_1/vars").attributeString("name"), "scores")
        XCTAssertEqual(try file.root.dataset("layers/dense_1/vars/0").shape, [3, 2])
        XCTAssertEqual(try file.root.group("optimizer/vars").attributeString("name"), model.optimizer!.name)
        XCTAssertEqual(try file.root.dataset("optimizer/vars/0").datatype, .integer(signed: true, byteCount: 4))
        XCTAssertEqual(try file.root.group("optimizer/vars").childNames().count, 2 + 4 * 2)
    }

    func testLegacyH5Layout() throws {
        let model = try functionalModel()
        try model.save(to: path("scorer.h5"))
        let file = try HDF5File(path("scorer.h5"))
        defer { try? file.close() }
        XCTAssertEqual(try file.root.attributeString("keras_version"), "3.15.1")
        XCTAssertFalse(try file.root.hasAttribute("training_config"), "an uncompiled model has no training_config")
        XCTAssertFalse(try file.root.contains("optimizer_weights"))
        let weights = try file.root.group("model_weights")
        XCTAssertEqual(try weights.attributeStrings("layer_names"), ["features", "hidden", "scores"])
        XCTAssertEqual(try weights.group("features").attributeInfo("weight_names").datatype, .float(byteCount: 8),
                       "an empty name list is an empty float64 array, as Keras writes it")
        XCTAssertEqual(try weights.group("hidden").attributeStrings("weight_names"), ["hidden/kernel", "hidden/bias"])
        XCTAssertEqual(try weights.dataset("hidden/hidden/kernel").shape, [4, 3])
        XCTAssertEqual(try weights.group("top_level_model_weights").attributeStrings("weight_names"), [])
    }

    func testCompileArgumentsAndOptimizerStateRoundTrip() throws {
        for name in ["model.h5", "model.keras"] {
            let model = try functionalModel()
            let metric = try Registries.metrics.make("MeanAbsoluteError")
            try model.compile(optimizer: .optimizer(RMSprop(learningRate: 0.01, momentum: 0.5, name: "tuned")),
                              loss: .all(.loss(MeanAbsoluteError(reduction: .sum, name: "total_error"))), metrics: .all([.metric(metric), "mse"]),
                              lossWeights: ["scores": 0.5])
            try model.fit(Tensor(repeating: 0.5, shape: [4, 4]), Tensor(repeating: 1, shape: [4, 2]), batchSize: 2,
                          verbose: 0)
            try model.save(to: path(name))
            let loaded = try Model.load(from: path(name))
            let compiled = try XCTUnwrap(loaded.compiled, name)
            XCTAssertEqual(compiled.lossWeights, [0.5], name)
            XCTAssertEqual(compiled.losses.first??.config, MeanAbsoluteError(reduction: .sum, name: "total_error").config, name)
            XCTAssertEqual(compiled.metricSpecs.first?.count, 2, name)
            let optimizer = try XCTUnwrap(loaded.optimizer as? RMSprop, name)
            XCTAssertEqual(optimizer.name, "tuned", name)
            XCTAssertEqual(optimizer.iterations, 2, name)
            XCTAssertEqual(optimizer.variables.map(\.path), model.optimizer!.variables.map(\.path), name)
            XCTAssertEqual(optimizer.variables.map(\.value.scalars), model.optimizer!.variables.map(\.value.scalars), name)
        }
    }

    /// Adafactor (row and column statistics named alike, int32 placeholders for the biases), Lamb,
    /// and Muon (a velocity for the AdamW-stepped biases only) come back from .h5, .keras and
    /// .weights.h5 with every variable in its place: one more step after loading moves the
    /// weights exactly as it moves the original's.
    func testAdafactorLambAndMuonStateRoundTrip() throws {
        let makers: [() -> Optimizer] = [{ Adafactor(learningRate: 0.1) }, { Lamb(learningRate: 0.01, weightDecay: 0.01) },
                                         { Muon(learningRate: 0.02, excludeLayers: ["scores"], nesterov: false) }]
        let x = Tensor(shape: [4, 4], scalars: (0..<16).map { Float($0) / 8 - 1 })
        let y = Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0 % 3) - 1 })
        for make in makers {
            for name in ["model.h5", "model.keras", "model.weights.h5"] {
                let model = try functionalModel()
                try model.compile(optimizer: .optimizer(make()), loss: "mse")
                try model.fit(x, y, batchSize: 2, verbose: 0, shuffle: false)
                let saved = try XCTUnwrap(model.optimizer)
                let what = "\(type(of: saved).kerasClassName) through \(name)"
                let loaded: Model
                if name.hasSuffix(".weights.h5") {
                    try model.saveWeights(to: path(name))
                    loaded = try functionalModel()
                    let twin = try Registries.optimizers.make(type(of: saved).kerasClassName, config: saved.config)
                    try loaded.compile(optimizer: .optimizer(twin), loss: "mse")
                    try loaded.loadWeights(from: path(name))
                } else {
                    try model.save(to: path(name))
                    loaded = try Model.load(from: path(name))
                }
                let restored = try XCTUnwrap(loaded.optimizer, what)
                XCTAssertTrue(type(of: restored) == type(of: saved), what)
                XCTAssertEqual(restored.config, saved.config, what)
                XCTAssertEqual(restored.iterations, 2, what)
                XCTAssertEqual(restored.variables.map(\.path), saved.variables.map(\.path), what)
                XCTAssertEqual(restored.variables.map(\.dtype), saved.variables.map(\.dtype), what)
                XCTAssertEqual(restored.variables.map(\.value.scalars), saved.variables.map(\.value.scalars), what)

                try model.fit(x, y, batchSize: 4, verbose: 0, shuffle: false)
                try loaded.fit(x, y, batchSize: 4, verbose: 0, shuffle: false)
                XCTAssertEqual(loaded.weights.map(\.value.scalars), model.weights.map(\.value.scalars), "\(what): next step")
            }
        }
    }

    func testOptimizerSavedBeforeItsFirstUpdateRestoresItsCounters() throws {
        let model = try functionalModel()
        try model.compile(optimizer: .optimizer(Adam(learningRate: 0.05)), loss: "mean_squared_error")
        try model.save(to: path("fresh.h5"))
        var warnings: [String] = []
        let previousHandler = SavingWarnings.handler
        SavingWarnings.handler = { warnings.append($0) }
        defer { SavingWarnings.handler = previousHandler }
        let loaded = try Model.load(from: path("fresh.h5"))
        XCTAssertEqual(warnings, [], "iteration and learning_rate are the whole state of an unbuilt optimizer")
        XCTAssertEqual(loaded.optimizer?.iterations, 0)
        XCTAssertEqual(loaded.optimizer?.currentLearningRate, 0.05)
    }

    func testNamesAndModelsThatCannotBeSaved() throws {
        let model = try functionalModel()
        XCTAssertThrowsError(try model.saveWeights(to: path("scorer.h5"))) { error in
            XCTAssertTrue("\(error)".contains(".weights.h5"), "\(error)")
        }
        XCTAssertThrowsError(try model.save(to: path("scorer.weights.h5"))) { error in
            XCTAssertTrue("\(error)".contains("saveWeights"), "\(error)")
        }
        XCTAssertThrowsError(try model.save(to: path("scorer.json"))) { error in
            XCTAssertTrue("\(error)".contains(".keras, .h5 or .hdf5"), "\(error)")
        }
        final class Subclassed: Model {
            let inner = Dense(units: 2)
            override func call(_ input: Tensor, training: Bool) -> Tensor { inner(input) }
        }
        let subclassed = Subclassed()
        _ = subclassed(Tensor.zeros([1, 3]))
        XCTAssertThrowsError(try subclassed.save(to: path("subclassed.h5"))) { error in
            XCTAssertTrue("\(error)".contains("subclassed"), "\(error)")
        }
        try subclassed.saveWeights(to: path("subclassed.weights.h5"))
        let twin = Subclassed()
        _ = twin(Tensor.zeros([1, 3]))
        try twin.loadWeights(from: path("subclassed.weights.h5"))
        XCTAssertEqual(twin.weights.map(\.value.scalars), subclassed.weights.map(\.value.scalars))
        XCTAssertThrowsError(try Model.load(from: path("subclassed.weights.h5"))) { error in
            XCTAssertTrue("\(error)".contains("loadWeights"), "\(error)")
        }
    }

    func testZipArchivesRoundTripAndDeflatedMembersRead() throws {
        let members: [(name: String, bytes: [UInt8])] = [("a.txt", Array("hello".utf8)), ("empty", []),
                                                         ("b/c.bin", (0..<300).map { UInt8($0 % 256) })]
        for compression in [ZipArchive.Compression.stored, .deflated] {
            let bytes = try ZipArchive(members: members, source: "test.zip").encoded(compression: compression)
            let reader = try ZipArchive.read(bytes: bytes, name: "test.zip")
            XCTAssertEqual(reader.memberNames, members.map(\.name))
            for (name, content) in members { XCTAssertEqual(try reader.contents(of: name), content, name) }
            XCTAssertThrowsError(try reader.contents(of: "missing"))
        }
    }
}
