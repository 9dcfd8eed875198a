import XCTest
import Keel

/// Weight names, shapes, order and trainability, and BatchNormalization's moving statistics.
final class LayerWeightsTests: XCTestCase {
    func testDenseAndConvWeightsAreNamedAndShapedAsInKeras() {
        let dense = Dense(units: 3, name: "dense_w")
        _ = dense(Tensor.zeros([2, 5]))
        XCTAssertEqual(dense.weights.map(\.name), ["kernel", "bias"])
        XCTAssertEqual(dense.weights.map(\.shape), [[5, 3], [3]])
        XCTAssertEqual(dense.weights.map(\.path), ["dense_w/kernel", "dense_w/bias"])

        let conv = Conv2D(filters: 4, kernelSize: [3, 2], name: "conv_w")
        _ = conv(Tensor.zeros([1, 6, 6, 2]))
        XCTAssertEqual(conv.weights.map(\.shape), [[3, 2, 2, 4], [4]])

        let transposed = Conv2DTranspose(filters: 4, kernelSize: [3, 3], strides: [2, 2], padding: .same)
        XCTAssertEqual(transposed(Tensor.zeros([1, 5, 5, 2])).shape, [1, 10, 10, 4])
        XCTAssertEqual(transposed.weights[0].shape, [3, 3, 4, 2], "Conv2DTranspose kernels are (kh, kw, filters, in)")

        let embedding = Embedding(inputDim: 7, outputDim: 2)
        _ = embedding(Tensor(shape: [1, 3], int32s: [0, 6, 2]))
        XCTAssertEqual(embedding.weights.map(\.name), ["embeddings"])
        XCTAssertEqual(embedding.weights[0].shape, [7, 2])
        XCTAssertTrue(embedding.weights[0].value.scalars.allSatisfy { abs($0) <= 0.05 })
    }

    func testBatchNormalizationSplitsTrainableAndNonTrainableWeights() {
        let bn = BatchNormalization()
        _ = bn(Tensor.zeros([2, 3]))
        XCTAssertEqual(bn.weights.map(\.name), ["gamma", "beta", "moving_mean", "moving_variance"])
        XCTAssertEqual(bn.trainableWeights.map(\.name), ["gamma", "beta"])
        XCTAssertEqual(bn.nonTrainableWeights.map(\.name), ["moving_mean", "moving_variance"])
        XCTAssertEqual(bn.weights.map(\.value.scalars), [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]])
        XCTAssertTrue(bn.usesTrainingFlag)

        bn.trainable = false
        XCTAssertEqual(bn.trainableWeights.count, 0)
        XCTAssertEqual(bn.nonTrainableWeights.map(\.name), ["gamma", "beta", "moving_mean", "moving_variance"])
        XCTAssertTrue(bn.weights.allSatisfy { !$0.trainable })
    }

    func testALayerMadeNonTrainableHasOnlyNonTrainableWeights() {
        let dense = Dense(units: 2, name: "frozen", trainable: false)
        _ = dense(Tensor.zeros([1, 3]))
        XCTAssertEqual(dense.trainableWeights.count, 0)
        XCTAssertEqual(dense.nonTrainableWeights.map(\.name), ["kernel", "bias"])
        XCTAssertEqual(dense.config["trainable"], false)
        dense.trainable = true
        XCTAssertEqual(dense.trainableWeights.map(\.name), ["kernel", "bias"])
    }

    func testBatchNormalizationTrainingUpdatesTheMovingStatistics() {
        // keras-spec §10: batch [[1,2,3],[3,6,9]] with momentum 0.99 → moving_var [1.0, 1.03, 1.08].
        let bn = BatchNormalization()
        let batch = Tensor(shape: [2, 3], scalars: [1, 2, 3, 3, 6, 9])
        let output = bn(batch, training: true)
        XCTAssertEqual(bn.movingVariance.value.scalars[0], 1.0, accuracy: 1e-6)
        XCTAssertEqual(bn.movingVariance.value.scalars[1], 1.03, accuracy: 1e-6)
        XCTAssertEqual(bn.movingVariance.value.scalars[2], 1.08, accuracy: 1e-6)
        XCTAssertEqual(bn.movingMean.value.scalars, [0.02, 0.04, 0.06].map { Float($0) }, "mean·(1 − momentum)")
        // With batch statistics each column becomes (x − mean)/√(var + ε): ±1 scaled by √(v/(v+ε)).
        let v: Float = 4
        XCTAssertEqual(output.scalars[4], (v / (v + 1e-3)).squareRoot(), accuracy: 1e-5)

        // Inference uses the moving statistics and changes nothing.
        let before = bn.movingMean.value.scalars
        let inference = bn(batch, training: false)
        XCTAssertEqual(bn.movingMean.value.scalars, before)
        XCTAssertEqual(inference.scalars[0], (1 - 0.02) / (1 + 1e-3).squareRoot(), accuracy: 1e-5)
    }

    func testANonTrainableBatchNormalizationUsesMovingStatisticsEvenInTraining() {
        let bn = BatchNormalization(trainable: false)
        let batch = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let output = bn(batch, training: true)
        XCTAssertEqual(bn.movingMean.value.scalars, [0, 0])
        XCTAssertEqual(bn.movingVariance.value.scalars, [1, 1])
        for (y, x) in zip(output.scalars, batch.scalars) { XCTAssertEqual(y, x / (1 + 1e-3).squareRoot(), accuracy: 1e-5) }
    }

    func testBatchNormalizationOnAnotherAxisAndWithoutScaleOrCenter() {
        let bn = BatchNormalization(axis: 1, center: false, scale: false)
        _ = bn(Tensor.zeros([2, 3, 4, 4]))
        XCTAssertEqual(bn.weights.map(\.name), ["moving_mean", "moving_variance"])
        XCTAssertEqual(bn.weights[0].shape, [3])
    }
}
