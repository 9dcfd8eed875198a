import XCTest
import Keel

/// The Keras model API: get/set weights of models and optimizers, metrics names, data by
/// input name, `layer.input`/`output`, and `cloneModel`. Expected names and orders were read
/// from Keras 3.15.1 (jax backend) on the same models.
final class ModelAPITests: XCTestCase {
    override func setUp() {
        super.setUp()
        Naming.reset()
    }

    private func stackedModel() throws -> Sequential {
        try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 2), BatchNormalization(), Dense(units: 1)])
    }

    /// out = sum(a) + sum(b): a Functional model with two named inputs.
    private func twoInputModel() throws -> (model: Model, concatenate: Concatenate, dense: Dense) {
        let a = Input(shape: [2], name: "a"), b = Input(shape: [1], name: "b")
        let concatenate = Concatenate(name: "joined")
        let dense = Dense(units: 1, kernelInitializer: Ones(), name: "out")
        let output = try dense(try concatenate([a, b]))
        return (try Model(inputs: [a, b], outputs: [output], name: "two_inputs"), concatenate, dense)
    }

    private let xa = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    private let xb = Tensor(shape: [2, 1], scalars: [10, 20])

    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: getWeights / setWeights

    func testModelWeightsComeInKerasOrderAndSetWeightsReplacesThem() throws {
        let model = try stackedModel()
        // keras: [w.path for w in model.weights]
        XCTAssertEqual(model.weights.map(\.path), [
            "sequential/dense/kernel", "sequential/dense/bias", "sequential/batch_normalization/gamma",
            "sequential/batch_normalization/beta", "sequential/batch_normalization/moving_mean",
            "sequential/batch_normalization/moving_variance", "sequential/dense_1/kernel", "sequential/dense_1/bias",
        ])
        let values = model.getWeights()
        XCTAssertEqual(values.map(\.shape), [[3, 2], [2], [2], [2], [2], [2], [2, 1], [1]])
        XCTAssertEqual(values[3].scalars, [0, 0])
        XCTAssertEqual(values[5].scalars, [1, 1])

        var replaced = values.map { Tensor(repeating: 0, shape: $0.shape) }
        replaced[0] = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        replaced[2] = Tensor(shape: [2], scalars: [1, 1])       // gamma
        replaced[5] = Tensor(shape: [2], scalars: [1, 1])       // moving variance
        replaced[6] = Tensor(shape: [2, 1], scalars: [1, 2])
        replaced[7] = Tensor(shape: [1], scalars: [0.5])
        try model.setWeights(replaced)
        XCTAssertEqual(model.getWeights()[6].scalars, [1, 2])
        // x = (1, 2, 3): dense → (4, 5); batch norm in inference ≈ identity; → 4 + 10 + 0.5.
        let y = try model.predict(Tensor(shape: [1, 3], scalars: [1, 2, 3]), verbose: 0)
        XCTAssertEqual(y.scalars[0], 14.5, accuracy: 1e-2)

        // A value read before training keeps its value once the variable changes.
        let before = model.getWeights()[7]
        try model.layers[2].setWeights([Tensor(shape: [2, 1], scalars: [0, 0]), Tensor(shape: [1], scalars: [9])])
        XCTAssertEqual(before.scalars, [0.5])
        XCTAssertEqual(model.getWeights()[7].scalars, [9])
    }

    func testSetWeightsRefusesAWrongCountShapeOrDtypeAndChangesNothing() throws {
        let model = try stackedModel()
        let original = model.getWeights()
        let shortList = message { try model.setWeights(Array(original.dropFirst())) }
        XCTAssertTrue(shortList.contains("expected 8 arrays, one per weight (sequential/dense/kernel, "), shortList)
        XCTAssertTrue(shortList.hasSuffix("found 7 arrays"), shortList)

        var wrongShape = original.map { Tensor(repeating: 7, shape: $0.shape) }
        wrongShape[6] = Tensor.zeros([3, 1])
        let shape = message { try model.setWeights(wrongShape) }
        XCTAssertEqual(shape, "setWeights on Sequential model 'sequential': weight 6 'sequential/dense_1/kernel': "
                       + "expected shape (2, 1), found shape (3, 1)")
        XCTAssertEqual(model.getWeights()[0].scalars, original[0].scalars, "nothing changes when one value is wrong")

        var wrongType = original
        wrongType[1] = Tensor(shape: [2], int32s: [1, 2])
        let dtype = message { try model.setWeights(wrongType) }
        XCTAssertEqual(dtype, "setWeights on Sequential model 'sequential': weight 1 'sequential/dense/bias': "
                       + "expected float32 values, found int32 values")

        let layer = Dense(units: 2)
        XCTAssertTrue(message { try layer.setWeights([Tensor.zeros([2])]) }.contains("expected 0 arrays, one per weight (no weights)"))
    }

    func testOptimizerWeightsRestoreTheTrainingStateExactly() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1)])
        try model.compile(optimizer: Adam(learningRate: 0.1), loss: MeanSquaredError())
        let optimizer = try XCTUnwrap(model.optimizer)
        // Keras 3 refuses set_weights before build; get_weights-like values are iteration and learning_rate.
        XCTAssertEqual(optimizer.getWeights().map(\.shape), [[], []])
        let unbuilt = message { try optimizer.setWeights(optimizer.getWeights()) }
        XCTAssertEqual(unbuilt, "setWeights on Adam optimizer 'adam': expected an optimizer built for the model's variables "
                       + "(call buildIfNeeded(for: model.trainableWeights) or train a step first), found an optimizer not yet built")

        let x = Tensor(shape: [4, 2], scalars: [1, 2, -1, 0.5, 0, 1, 2, -2])
        let y = Tensor(shape: [4, 1], scalars: [1, -1, 0.5, 2])
        for _ in 0..<3 { try model.trainOnBatch([x], [y]) }
        // keras: [v.path for v in model.optimizer.variables]
        XCTAssertEqual(optimizer.variables.map(\.path), [
            "adam/iteration", "adam/learning_rate", "adam/sequential_dense_kernel_momentum",
            "adam/sequential_dense_kernel_velocity", "adam/sequential_dense_bias_momentum", "adam/sequential_dense_bias_velocity",
        ])
        let state = optimizer.getWeights()
        XCTAssertEqual(state[0].int32Scalars, [3])
        XCTAssertEqual(state[1].scalars[0], 0.1, accuracy: 1e-7)

        // A second model with the same weights and the same optimizer state takes the same step.
        let twin = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1)])
        try twin.compile(optimizer: Adam(learningRate: 0.1), loss: MeanSquaredError())
        try twin.setWeights(model.getWeights())
        let twinOptimizer = try XCTUnwrap(twin.optimizer)
        twinOptimizer.buildIfNeeded(for: twin.trainableWeights)
        try twinOptimizer.setWeights(state)
        XCTAssertEqual(twinOptimizer.iterations, 3)
        // Without the state the twin's step would be Adam's first, which differs.
        let fresh = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1)])
        try fresh.compile(optimizer: Adam(learningRate: 0.1), loss: MeanSquaredError())
        try fresh.setWeights(model.getWeights())

        for m in [model, twin, fresh] { try m.trainOnBatch([x], [y]) }
        XCTAssertEqual(twin.getWeights().map(\.scalars), model.getWeights().map(\.scalars))
        XCTAssertNotEqual(fresh.getWeights()[0].scalars, model.getWeights()[0].scalars)

        var wrong = state
        wrong[2] = Tensor.zeros([1, 2])
        XCTAssertEqual(message { try twinOptimizer.setWeights(wrong) },
                       "setWeights on Adam optimizer 'adam_1': weight 2 'adam_1/sequential_1_dense_1_kernel_momentum': "
                       + "expected shape (2, 1), found shape (1, 2)")
        wrong = state
        wrong[0] = Tensor(3)
        XCTAssertTrue(message { try twinOptimizer.setWeights(wrong) }.hasSuffix("expected int32 values, found float32 values"))
        XCTAssertTrue(message { try twinOptimizer.setWeights(Array(state.prefix(2))) }.hasSuffix("expected 6 arrays, one per weight "
            + "(adam_1/iteration, adam_1/learning_rate, adam_1/sequential_1_dense_1_kernel_momentum, "
            + "adam_1/sequential_1_dense_1_kernel_velocity, adam_1/sequential_1_dense_1_bias_momentum, "
            + "adam_1/sequential_1_dense_1_bias_velocity), found 2 arrays"))
    }

    // MARK: metricsNames

    func testMetricsNamesListTheLogsInKerasEvaluateOrder() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 1)])
        XCTAssertEqual(model.metricsNames, [])
        try model.compile(optimizer: "sgd", loss: "mse", metrics: ["mae", "accuracy"], weightedMetrics: ["mae", "mse"])
        XCTAssertEqual(model.metricsNames, ["loss"], "only the loss is known before the metrics are built")
        let x = Tensor(repeating: 1, shape: [4, 3]), y = Tensor(repeating: 1, shape: [4, 1])
        let weights = Tensor(shape: [4], scalars: [1, 0, 0, 0])
        let logs = try model.evaluate([x], [y], verbose: 0, sampleWeight: weights)
        // Keras: ['loss', 'mae', 'accuracy', 'mse', 'weighted_mae'] (the weighted mae is renamed, as it would collide).
        XCTAssertEqual(model.metricsNames, ["loss", "mae", "accuracy", "mse", "weighted_mae"])
        XCTAssertEqual(Set(logs.keys), Set(model.metricsNames))

        let repeated = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 1)])
        try repeated.compile(optimizer: "sgd", loss: "mse", metrics: ["mae", "mae"], weightedMetrics: ["mae", "mae"])
        let repeatedLogs = try repeated.evaluate(x, y, verbose: 0)
        // Keras: each repeat gets its own log, `mae_1`, `weighted_mae`, `weighted_mae_1`.
        XCTAssertEqual(repeated.metricsNames, ["loss", "mae", "mae_1", "weighted_mae", "weighted_mae_1"])
        XCTAssertEqual(Set(repeatedLogs.keys), Set(repeated.metricsNames))

        let plain = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 1)])
        try plain.compile(optimizer: "sgd", loss: "mse")
        try plain.fit(x, y, verbose: 0)
        XCTAssertEqual(plain.metricsNames, ["loss"])
    }

    func testMultiOutputMetricsNamesPutOutputLossesFirstAndSortTheRest() throws {
        let a = Input(shape: [3], name: "a"), b = Input(shape: [2], name: "b")
        let joined = try Concatenate()([a, b])
        let o1 = try Dense(units: 1, name: "o1")(joined), o2 = try Dense(units: 1, name: "o2")(joined)
        let model = try Model(inputs: [a, b], outputs: [o1, o2])
        try model.compile(optimizer: "sgd", loss: .perOutput([.name("mse"), .name("mse")]),
                          metrics: .perOutput([["mae"], ["mse"]]), weightedMetrics: .perOutput([["mae"], []]))
        let y = Tensor.zeros([4, 1])
        let logs = try model.evaluate(["a": Tensor(repeating: 1, shape: [4, 3]), "b": Tensor(repeating: 1, shape: [4, 2])],
                                      [y + 1, y], verbose: 0)
        // Keras 3.15.1 evaluate() list order for this model.
        XCTAssertEqual(model.metricsNames, ["loss", "o1_loss", "o2_loss", "o1_mae", "o1_weighted_mae", "o2_mse"])
        XCTAssertEqual(Set(logs.keys), Set(model.metricsNames))
        XCTAssertEqual(logs["o1_mae"]!, logs["o1_weighted_mae"]!, accuracy: 1e-6, "no sample weights: the same value")
    }

    // MARK: named inputs

    func testPredictEvaluateAndFitTakeInputsByName() throws {
        let (model, _, _) = try twoInputModel()
        XCTAssertEqual(model.inputNames, ["a", "b"])
        let byName = try model.predict(["b": xb, "a": xa], verbose: 0)
        XCTAssertEqual(byName.map(\.scalars), [[13, 27]])
        XCTAssertEqual(try model.predictOnBatch(["a": xa, "b": xb])[0].scalars, [13, 27])

        try model.compile(optimizer: SGD(learningRate: 0.001), loss: MeanSquaredError())
        let target = Tensor(shape: [2, 1], scalars: [13, 25])
        XCTAssertEqual(try model.evaluate(["a": xa, "b": xb], [target], verbose: 0)["loss"]!, 2, accuracy: 1e-5)
        XCTAssertEqual(try model.evaluate(["a": xa, "b": xb], ["out": target], verbose: 0)["loss"]!, 2, accuracy: 1e-5)
        let history = try model.fit(["a": xa, "b": xb], [target], batchSize: 2, epochs: 2, verbose: 0, shuffle: false)
        XCTAssertEqual(history.history["loss"]?.count, 2)
        XCTAssertEqual(history.history["loss"]![0], 2, accuracy: 1e-5)
        XCTAssertEqual(history.history["loss"]![1], 0.74884, accuracy: 1e-4, "Keras 3.15.1: [2.0, 0.7488385]")
    }

    func testUnknownOrMissingInputNamesAreClearErrors() throws {
        let (model, _, _) = try twoInputModel()
        XCTAssertEqual(message { try model.predict(["a": xa], verbose: 0) },
                       "predict inputs of model 'two_inputs': expected an array for each of 'a', 'b', found none for 'b'")
        XCTAssertEqual(message { try model.predict(["a": xa, "b": xb, "c": xb], verbose: 0) },
                       "predict inputs of model 'two_inputs': expected names among 'a', 'b', found unknown name 'c'")
        try model.compile(optimizer: "sgd", loss: "mse")
        XCTAssertEqual(message { try model.evaluate(["a": xa, "b": xb], ["output": xb], verbose: 0) },
                       "evaluate targets of model 'two_inputs': expected names among 'out', found unknown name 'output'")
        XCTAssertEqual(message { try model.fit(["a": xa, "bb": xb], [xb], verbose: 0) },
                       "fit inputs of model 'two_inputs': expected names among 'a', 'b', found unknown name 'bb'")
        let unbuilt = try Sequential([Dense(units: 1)])
        XCTAssertTrue(message { try unbuilt.predict(["x": xa], verbose: 0) }.contains("expected a Functional model"))
    }

    // MARK: layer.input / layer.output

    func testLayerInputAndOutputInAFunctionalGraph() throws {
        let (model, concatenate, dense) = try twoInputModel()
        XCTAssertTrue(try concatenate.inputTensors.elementsEqual(model.inputs, by: { $0 === $1 }))
        XCTAssertEqual(try concatenate.output.shape, [nil, 3])
        XCTAssertTrue(try dense.input === concatenate.output)
        XCTAssertTrue(try dense.output === model.outputs[0])
        XCTAssertEqual(try dense.inputTensors.count, 1)
        XCTAssertEqual(message { try concatenate.input }, "input of Concatenate layer 'joined': expected a layer called on "
                       + "one tensor, found a call on 2 tensors (read `inputTensors` for the list)")
        let inputLayer = try XCTUnwrap(model.layers.first as? InputLayer)
        XCTAssertTrue(try inputLayer.input === model.inputs[0])
        XCTAssertTrue(try inputLayer.output === model.inputs[0])
        XCTAssertTrue(try model.inputTensors.elementsEqual(model.inputs, by: { $0 === $1 }))
        XCTAssertTrue(try model.output === model.outputs[0])

        // Feature extraction from an intermediate layer.
        let features = try Model(inputs: model.inputs, outputs: [try concatenate.output])
        XCTAssertEqual(try features.predict([xa, xb], verbose: 0)[0].scalars, [1, 2, 10, 3, 4, 20])
    }

    func testLayerInputOfALayerNeverCalledIsAnErrorAndASharedLayerGivesItsFirstCall() throws {
        let dense = Dense(units: 2, name: "lonely")
        XCTAssertEqual(message { try dense.input }, "input of Dense layer 'lonely': expected a layer called on symbolic tensors "
                       + "(in a Functional model), found a layer that has never been called, so it has no defined input")
        XCTAssertTrue(message { try dense.output }.hasSuffix("so it has no defined output"))
        XCTAssertTrue(message { try dense.inputTensors }.hasSuffix("so it has no defined input"))
        _ = dense(Tensor.zeros([1, 3]))
        XCTAssertTrue(message { try dense.input }.hasSuffix("never been called, so it has no defined input"),
                      "an eager call makes no node")

        // Keras 3: a layer called several times reports its first call.
        let first = Input(shape: [3]), second = Input(shape: [3])
        let firstOutput = try dense(first)
        _ = try dense(second)
        XCTAssertTrue(try dense.input === first)
        XCTAssertTrue(try dense.output === firstOutput)
        XCTAssertEqual(dense.inboundNodes.count, 2)
    }

    // MARK: cloneModel

    func testCloneOfASequentialModelHasTheSameArchitectureAndNewWeights() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 4], name: "features"), Dense(units: 3, activation: "relu"),
                                    Dense(units: 2)], name: "stack")
        let copy = try cloneModel(model)
        XCTAssertTrue(copy is Sequential)
        XCTAssertEqual(copy.name, "stack")
        XCTAssertEqual(copy.inputNames, ["features"])
        XCTAssertEqual(copy.layers.map(\.name), model.layers.map(\.name))
        XCTAssertEqual(ModelConfig.config(of: copy), ModelConfig.config(of: model))
        XCTAssertEqual(copy.weights.map(\.path), model.weights.map(\.path))
        XCTAssertFalse(copy.layers.contains { layer in model.layers.contains { $0 === layer } })
        let shared = Set(model.weights.map(ObjectIdentifier.init))
        XCTAssertFalse(copy.weights.contains { shared.contains(ObjectIdentifier($0)) })
        XCTAssertNotEqual(copy.getWeights()[0].scalars, model.getWeights()[0].scalars, "fresh Glorot draws")

        // Same weights → same function; changing the copy leaves the original alone.
        try copy.setWeights(model.getWeights())
        let x = Tensor(shape: [2, 4], scalars: [1, -2, 0.5, 3, 0, 1, -1, 2])
        XCTAssertEqual(try copy.predict(x, verbose: 0).scalars, try model.predict(x, verbose: 0).scalars)
        let kernel = model.getWeights()[0].scalars
        try copy.layers[0].setWeights([Tensor.zeros([4, 3]), Tensor.zeros([3])])
        XCTAssertEqual(model.getWeights()[0].scalars, kernel)

        let unbuilt = try cloneModel(try Sequential([Dense(units: 2, name: "later")]))
        XCTAssertFalse(unbuilt.isFunctional)
        XCTAssertEqual(unbuilt.layers.map(\.name), ["later"])
    }

    func testCloneOfAFunctionalModelKeepsInputsSharedLayersAndCompileSettings() throws {
        let a = Input(shape: [2], name: "left"), b = Input(shape: [2], name: "right")
        let shared = Dense(units: 2, name: "shared")
        let sum = try Add(name: "sum")([try shared(a), try shared(b)])
        let model = try Model(inputs: [a, b], outputs: [try Dense(units: 1, name: "head")(sum)], name: "siamese")
        try model.compile(optimizer: Adam(learningRate: 0.05), loss: MeanSquaredError(), metrics: ["mae"])

        let copy = try cloneModel(model)
        XCTAssertEqual(copy.name, "siamese")
        XCTAssertEqual(copy.inputNames, ["left", "right"])
        XCTAssertEqual(copy.layers.map(\.name), ["left", "right", "shared", "sum", "head"])
        XCTAssertEqual(ModelConfig.config(of: copy), ModelConfig.config(of: model))
        XCTAssertEqual(copy.weights.count, 4, "the shared layer is cloned once")
        XCTAssertEqual(try copy.getLayer(name: "shared").inboundNodes.count, 2)
        let originals = Set(model.weights.map(ObjectIdentifier.init))
        XCTAssertFalse(copy.weights.contains { originals.contains(ObjectIdentifier($0)) })

        let x = [Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), Tensor(shape: [2, 2], scalars: [0, -1, 2, 1])]
        try copy.setWeights(model.getWeights())
        XCTAssertEqual(try copy.predict(x, verbose: 0)[0].scalars, try model.predict(x, verbose: 0)[0].scalars)

        // Compiled again from the compile configuration: a new optimizer of the same settings.
        let optimizer = try XCTUnwrap(copy.optimizer)
        XCTAssertTrue(optimizer is Adam)
        XCTAssertFalse(optimizer === model.optimizer)
        XCTAssertEqual(optimizer.currentLearningRate, 0.05, accuracy: 1e-7)
        try copy.evaluate(x, [Tensor.zeros([2, 1])], verbose: 0)
        XCTAssertEqual(copy.metricsNames, ["loss", "mae"])
    }

    func testCloneOfAModelWithANestedModelClonesTheNestedOneToo() throws {
        let inner = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 3)], name: "inner")
        let x = Input(shape: [2], name: "x")
        let outer = try Model(inputs: x, outputs: try Dense(units: 1, name: "top")(try inner(x)), name: "outer")
        let copy = try cloneModel(outer)
        // keras: ['x', 'inner', 'top'], and the nested model is a new one.
        XCTAssertEqual(copy.layers.map(\.name), ["x", "inner", "top"])
        let nested = try XCTUnwrap(copy.layers[1] as? Sequential)
        XCTAssertFalse(nested === inner)
        XCTAssertEqual(copy.weights.map(\.shape), [[2, 3], [3], [3, 1], [1]])
        let originals = Set(outer.weights.map(ObjectIdentifier.init))
        XCTAssertFalse(copy.weights.contains { originals.contains(ObjectIdentifier($0)) })
        try copy.setWeights(outer.getWeights())
        let data = Tensor(shape: [2, 2], scalars: [1, -1, 0.5, 2])
        XCTAssertEqual(try copy.predict(data, verbose: 0).scalars, try outer.predict(data, verbose: 0).scalars)
    }

    func testCloneFunctionReplacesLayersAndSubclassedModelsAreRefused() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 2, name: "narrow"), Dense(units: 1)])
        var seen: [String] = []
        let wider = try cloneModel(model) { layer in
            seen.append(layer.name)
            guard layer.name == "narrow" else { return try type(of: layer).init(config: layer.config) }
            var config = layer.config
            config["units"] = 5
            return try Dense(config: config)
        }
        XCTAssertEqual(seen, ["narrow", "dense"], "Input layers are not passed to the clone function")
        XCTAssertEqual(wider.weights.map(\.shape), [[3, 5], [5], [5, 1], [1]])

        XCTAssertEqual(message { try cloneModel(SubclassedModel(name: "custom")) },
                       "cloneModel(SubclassedModel model 'custom'): expected a Sequential or Functional model "
                       + "(for a subclassed model, make a new instance), found a subclassed model (SubclassedModel)")
    }
}

private final class SubclassedModel: Model {
    let inner = Dense(units: 1)
    override func call(_ input: Tensor, training: Bool) -> Tensor { inner(input) }
}
