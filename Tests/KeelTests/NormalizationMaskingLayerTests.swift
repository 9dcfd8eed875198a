import Foundation
import XCTest
import Keel

/// What the fixture cases of the normalization layers, Masking and TimeDistributed do not show:
/// gradients by finite differences on paths the fixtures miss, the masks Embedding and the merge
/// layers compute (Keras's `compute_mask`, values worked out by hand on tiny inputs), and the
/// fused layer-normalization op agreeing with Keras's formula built from ops.
final class NormalizationMaskingLayerTests: XCTestCase {
    private func randomValues(_ shape: [Int], seed: Int) -> Tensor {
        RandomNormal(seed: seed, stddev: 1)(shape)
    }

    // MARK: Gradients

    func testLayerNormalizationOverAxesOneAndTwoMatchesFiniteDifferences() throws {
        let layer = LayerNormalization(axis: [1, 2])
        let x = randomValues([2, 3, 4], seed: 1)
        layer.buildIfNeeded(inputShapes: [x.shape])
        try layer.setWeights([randomValues([3, 4], seed: 2), randomValues([3, 4], seed: 3)])
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }, [])
    }

    /// Axes that are not the trailing ones take the path built from ops; rms scaling the fused one.
    func testLayerNormalizationOtherAxesAndRMSScalingMatchFiniteDifferences() throws {
        let middle = LayerNormalization(axis: 1)
        let x = randomValues([2, 3, 4], seed: 4)
        middle.buildIfNeeded(inputShapes: [x.shape])
        try middle.setWeights([randomValues([3], seed: 5), randomValues([3], seed: 6)])
        // Three values per normalized slice curve sharply: a smaller step keeps the central
        // difference's own error below the tolerance.
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: middle.weights, epsilon: 1e-3) { middle($0[0]) }, [])
        let rms = LayerNormalization(axis: -1, rmsScaling: true)
        rms.buildIfNeeded(inputShapes: [x.shape])
        try rms.setWeights([randomValues([4], seed: 7)])
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: rms.weights) { rms($0[0]) }, [])
    }

    func testGroupNormalizationMatchesFiniteDifferences() throws {
        for axis in [-1, 1] {
            let layer = GroupNormalization(groups: 2, axis: axis)
            let x = randomValues([2, 4, 2, 4], seed: 8)
            layer.buildIfNeeded(inputShapes: [x.shape])
            try layer.setWeights([randomValues([4], seed: 9), randomValues([4], seed: 10)])
            XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }, [], "axis \(axis)")
        }
    }

    /// The fused op over trailing axes gives what Keras's formula from reductions gives.
    func testFusedLayerNormalizationEqualsTheFormula() {
        let x = randomValues([3, 5, 6], seed: 11) * 3 + 1
        let gamma = randomValues([5, 6], seed: 12), beta = randomValues([5, 6], seed: 13)
        let fused = x.layerNormalized(features: 30, gamma: gamma, beta: beta, epsilon: 1e-3)
        let mean = x.mean(axes: [1, 2], keepDims: true), variance = x.variance(axes: [1, 2], keepDims: true)
        let formula = (x - mean) * (variance + 1e-3).rsqrt() * gamma + beta
        for (a, b) in zip(fused.scalars, formula.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// Empty batches and empty normalized axes give empty outputs, as in Keras, not a crash.
    func testEmptyInputsGiveEmptyOutputs() {
        XCTAssertEqual(LayerNormalization()(Tensor.zeros([0, 3])).shape, [0, 3])
        XCTAssertEqual(LayerNormalization(axis: [1, 2])(Tensor.zeros([2, 0, 3])).shape, [2, 0, 3])
        XCTAssertEqual(RMSNormalization()(Tensor.zeros([0, 3])).shape, [0, 3])
        XCTAssertEqual(UnitNormalization()(Tensor.zeros([2, 0])).shape, [2, 0])
        XCTAssertEqual(Masking()(Tensor.zeros([0, 2, 3])).shape, [0, 2, 3])
    }

    func testGroupNormalizationRefusesChannelsThatGroupsDoNotDivide() throws {
        XCTAssertThrowsError(try GroupNormalization(groups: 3).checkInputs([[nil, 4]]))
        XCTAssertThrowsError(try Registries.layers.make("GroupNormalization", config: ["groups": 0]))
        XCTAssertNoThrow(try GroupNormalization(groups: 3).checkInputs([[nil, 6]]))
    }

    func testGroupsMinusOneBecomesTheChannelCountOnBuild() {
        let layer = GroupNormalization(groups: -1)
        layer.buildIfNeeded(inputShapes: [[2, 3]])
        XCTAssertEqual(layer.config["groups"], 3)
    }

    func testBuildingWritesTheAxesAsASortedList() {
        let layer = LayerNormalization(axis: [2, 1])
        XCTAssertEqual(layer.config["axis"], [2, 1])
        layer.buildIfNeeded(inputShapes: [[2, 3, 4]])
        XCTAssertEqual(layer.config["axis"], [1, 2])
        XCTAssertEqual(layer.weights.map(\.shape), [[3, 4], [3, 4]])
    }

    // MARK: Masks

    private func mask(_ rows: [[Float]]) -> Tensor {
        Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 })
    }

    private func masks(of layer: Layer, _ inputs: [Tensor], _ masks: [Tensor?]) -> Tensor? {
        layer.outputMasks(for: inputs, masks: masks, arguments: .none, outputCount: 1)[0]
    }

    func testEmbeddingWithMaskZeroMasksPaddingIds() {
        let ids = Tensor(shape: [2, 3], int32s: [3, 0, 1, 0, 0, 2])
        XCTAssertEqual(masks(of: Embedding(inputDim: 4, outputDim: 2, maskZero: true), [ids], [nil])?.scalars,
                       [1, 0, 1, 0, 0, 1])
        XCTAssertNil(masks(of: Embedding(inputDim: 4, outputDim: 2), [ids], [nil]))
    }

    func testElementwiseMergeMasksAreTheOrOfTheInputs() {
        let a = Tensor.zeros([2, 3, 2]), b = Tensor.zeros([2, 3, 2])
        let m1 = mask([[1, 0, 0], [1, 1, 0]]), m2 = mask([[0, 0, 1], [1, 0, 0]])
        for layer in [Add(), Subtract(), Multiply(), Average(), Maximum(), Minimum()] as [Layer] {
            XCTAssertEqual(masks(of: layer, [a, b], [m1, m2])?.scalars, [1, 0, 1, 1, 1, 0], "\(type(of: layer))")
            XCTAssertNil(masks(of: layer, [a, b], [m1, nil]), "\(type(of: layer)): one input without a mask")
            XCTAssertNil(masks(of: layer, [a, b], [nil, nil]), "\(type(of: layer))")
        }
        XCTAssertNil(masks(of: Dot(axes: 2), [a, b], [m1, m2]), "Dot computes no mask")
    }

    func testConcatenateMasks() {
        let a = Tensor.zeros([2, 3, 2]), b = Tensor.zeros([2, 3, 1])
        let m1 = mask([[1, 0, 0], [1, 1, 0]]), m2 = mask([[0, 0, 1], [1, 0, 0]])
        // Along the features: a step is kept when either input keeps it; an input without a mask
        // keeps every step.
        XCTAssertEqual(masks(of: Concatenate(axis: -1), [a, b], [m1, m2])?.scalars, [1, 0, 1, 1, 1, 0])
        XCTAssertEqual(masks(of: Concatenate(axis: -1), [a, b], [m1, nil])?.scalars, [1, 1, 1, 1, 1, 1])
        XCTAssertNil(masks(of: Concatenate(axis: -1), [a, b], [nil, nil]))
        // Along time: the masks are joined.
        let joined = masks(of: Concatenate(axis: 1), [a, a], [m1, m2])
        XCTAssertEqual(joined?.shape, [2, 6])
        XCTAssertEqual(joined?.scalars, [1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0])
    }

    func testLayersThatSupportMaskingPassTheMaskOn() {
        let x = Tensor.zeros([2, 3, 4]), m = mask([[1, 0, 1], [0, 1, 1]])
        let passing: [Layer] = [Dense(units: 2), ActivationLayer(activation: "relu"), Dropout(rate: 0.5),
                                BatchNormalization(), LayerNormalization(), GroupNormalization(groups: 2),
                                UnitNormalization(), TimeDistributed(Dense(units: 2))]
        for layer in passing {
            XCTAssertEqual(masks(of: layer, [x], [m])?.scalars, m.scalars, "\(type(of: layer))")
        }
        // Keras's RMSNormalization and Flatten do not support masking: the mask stops.
        XCTAssertNil(masks(of: RMSNormalization(), [x], [m]))
        XCTAssertNil(masks(of: Flatten(), [x], [m]))
    }

    func testMaskingZeroesMaskedStepsAndMasksThem() {
        let x = Tensor(shape: [1, 3, 2], scalars: [1, 2, 0.5, 0.5, 0.5, 3])
        let layer = Masking(maskValue: 0.5)
        XCTAssertEqual(layer(x).scalars, [1, 2, 0, 0, 0.5, 3])
        XCTAssertEqual(masks(of: layer, [x], [nil])?.scalars, [1, 0, 1])
    }

    // MARK: TimeDistributed

    func testTimeDistributedAppliesTheLayerAtEveryStep() throws {
        let dense = Dense(units: 2, activation: "tanh")
        let layer = TimeDistributed(dense)
        let x = randomValues([2, 3, 4], seed: 14)
        let y = layer(x)
        XCTAssertEqual(y.shape, [2, 3, 2])
        XCTAssertEqual(dense.builtInputShapes, [[2, 4]])
        XCTAssertEqual(dense.kernel.path, "\(layer.name)/\(dense.name)/kernel")
        for step in 0..<3 {
            let alone = dense(x.slice(begin: [0, step, 0], size: [2, 1, 4]).reshaped([2, 4]))
            let got = y.slice(begin: [0, step, 0], size: [2, 1, 2]).reshaped([2, 2])
            for (a, b) in zip(alone.scalars, got.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        }
        XCTAssertEqual(try layer.checkInputs([[nil, 3, 4]]), [nil, 3, 2])
        XCTAssertThrowsError(try layer.checkInputs([[nil, 4]]))
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }, [])
    }

    func testTimeDistributedConfigHoldsTheInnerLayerAsKerasWritesIt() throws {
        let layer = TimeDistributed(Dense(units: 2, name: "dense"), name: "time_distributed")
        _ = layer(Tensor.zeros([2, 4, 3]))
        let inner = try XCTUnwrap(layer.config["layer"]?.objectValue)
        XCTAssertEqual(inner.keys, ["module", "class_name", "config", "registered_name", "build_config"])
        // One step's shape; the batch size is not part of the layer (Keras's eager call writes the
        // batch it saw, its Functional models None, which Keel writes always).
        XCTAssertEqual(inner["build_config"], ["input_shape": [nil, 3]])
        let rebuilt = try Registries.layers.make("TimeDistributed", config: layer.config)
        XCTAssertEqual(JSONValue.object(rebuilt.config).serialized(), JSONValue.object(layer.config).serialized())
    }

    /// Keras calls the inner layer once per step: in training, BatchNormalization normalizes each
    /// step by its own statistics and moves its averages once per step.
    func testTimeDistributedBatchNormalizationUsesEachStepsStatisticsInTraining() {
        let x = randomValues([4, 3, 2], seed: 15) * 2 + 1
        let layer = TimeDistributed(BatchNormalization(momentum: 0.5))
        let y = layer(x, training: true)
        let reference = BatchNormalization(momentum: 0.5)
        for step in 0..<3 {
            let alone = reference(x.slice(begin: [0, step, 0], size: [4, 1, 2]).reshaped([4, 2]), training: true)
            let got = y.slice(begin: [0, step, 0], size: [4, 1, 2]).reshaped([4, 2])
            for (a, b) in zip(alone.scalars, got.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
        let inner = layer.layer as! BatchNormalization
        for (a, b) in zip(inner.movingMean.value.scalars, reference.movingMean.value.scalars) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
    }

    /// An inner layer that takes a mask gets each step's mask, folded as the steps are.
    func testTimeDistributedHandsEachStepsMaskToTheInnerLayer() {
        let layer = TimeDistributed(MaskTimesInput())
        XCTAssertTrue(layer.acceptedCallArguments.contains("mask"))
        let x = Tensor(shape: [2, 3, 2], scalars: (1...12).map(Float.init))
        let m = mask([[1, 0, 1], [0, 1, 1]])
        let y = layer([x], arguments: layer.maskArguments(for: [m]))
        XCTAssertEqual(y.scalars, [1, 2, 0, 0, 5, 6, 0, 0, 9, 10, 11, 12])
        XCTAssertEqual(masks(of: layer, [x], [m])?.scalars, m.scalars, "the mask passes through")
        XCTAssertEqual(layer(x).scalars, x.scalars, "no mask: the inner layer is called without one")
    }
}

/// Multiplies each example by its mask value (one per example), 1 without a mask.
private final class MaskTimesInput: Layer {
    override var acceptedCallArguments: Set<String> { ["mask"] }

    override func call(_ inputs: [Tensor], training: Bool) -> Tensor { inputs[0] }

    override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        guard let mask = arguments.tensor("mask") else { return inputs[0] }
        XCTAssertEqual(mask.shape, [inputs[0].shape[0]])
        return inputs[0] * mask.reshaped([mask.shape[0], 1])
    }
}
