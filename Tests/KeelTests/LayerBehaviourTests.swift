import XCTest
import Keel

/// What the fixtures do not cover: dropout in training, grouped and channels-first convolutions,
/// ReLU options, Softmax over several axes, shape layers and Embedding with float ids.
final class LayerBehaviourTests: XCTestCase {
    func testDropoutInTrainingDropsAboutRateAndScalesTheRest() {
        let dropout = Dropout(rate: 0.25, seed: 7)
        let x = Tensor.ones([100, 100])
        XCTAssertEqual(dropout(x, training: false).scalars, x.scalars)
        let y = dropout(x, training: true).scalars
        let dropped = y.filter { $0 == 0 }.count
        XCTAssertEqual(Double(dropped) / Double(y.count), 0.25, accuracy: 0.02)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
        XCTAssertTrue(dropout.usesTrainingFlag)
    }

    func testSeededDropoutRepeatsItsMasksAndUnseededFollowsTheEngineSeed() {
        let x = Tensor.ones([4, 8])
        XCTAssertEqual(Dropout(rate: 0.5, seed: 1)(x, training: true).scalars,
                       Dropout(rate: 0.5, seed: 1)(x, training: true).scalars)
        KeelRandom.setSeed(5)
        let first = Dropout(rate: 0.5)(x, training: true).scalars
        KeelRandom.setSeed(5)
        XCTAssertEqual(Dropout(rate: 0.5)(x, training: true).scalars, first)
    }

    func testDropoutNoiseShapeSharesTheMaskAlongAxesOfSizeOne() {
        let y = Dropout(rate: 0.5, seed: 3, noiseShape: [nil, 1])(Tensor.ones([6, 5]), training: true).scalars
        for row in 0..<6 {
            XCTAssertEqual(Set(y[(row * 5)..<(row * 5 + 5)]).count, 1, "row \(row) shares one mask value")
        }
        XCTAssertEqual(Dropout(rate: 1)(Tensor.ones([3]), training: true).scalars, [0, 0, 0])
    }

    func testGroupedConvolutionIsTwoIndependentConvolutions() throws {
        let grouped = Conv2D(filters: 4, kernelSize: [2, 2], groups: 2, useBias: false, kernelInitializer: GlorotUniform(seed: 1))
        let x = RandomNormal(seed: 2, stddev: 1)([1, 4, 4, 4])
        let y = grouped(x)
        let kernel = grouped.kernel.value
        XCTAssertEqual(kernel.shape, [2, 2, 2, 4])
        let halves = x.split(count: 2, axis: 3), kernels = kernel.split(count: 2, axis: 3)
        let expected = Tensor.concatenate([halves[0].conv2d(kernels[0]), halves[1].conv2d(kernels[1])], axis: 3)
        for (a, b) in zip(y.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testChannelsFirstConvolutionAndPoolingMatchChannelsLast() throws {
        let x = RandomNormal(seed: 4, stddev: 1)([2, 5, 5, 3])
        let last = Conv2D(filters: 2, kernelSize: [3, 3], padding: .same, kernelInitializer: GlorotUniform(seed: 5))
        let first = Conv2D(filters: 2, kernelSize: [3, 3], padding: .same, dataFormat: .channelsFirst,
                           kernelInitializer: GlorotUniform(seed: 5))
        let yLast = last(x)
        let yFirst = first(x.transposed([0, 3, 1, 2]))
        XCTAssertEqual(yFirst.shape, [2, 2, 5, 5])
        for (a, b) in zip(yFirst.transposed([0, 2, 3, 1]).scalars, yLast.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }

        let pooled = MaxPooling2D(dataFormat: .channelsFirst)(x.transposed([0, 3, 1, 2]))
        XCTAssertEqual(pooled.transposed([0, 2, 3, 1]).scalars, MaxPooling2D()(x).scalars)
        XCTAssertEqual(GlobalAveragePooling2D(dataFormat: .channelsFirst, keepDims: true)(x.transposed([0, 3, 1, 2])).shape,
                       [2, 3, 1, 1])
        // Flatten puts channels last first, so both formats flatten to the same vectors.
        XCTAssertEqual(Flatten(dataFormat: .channelsFirst)(x.transposed([0, 3, 1, 2])).scalars, Flatten()(x).scalars)
    }

    func testReLUOptionsFollowKerasIncludingTheThresholdItself() {
        let x = Tensor(shape: [6], scalars: [-1, 0, 0.5, 1, 3, 7])
        XCTAssertEqual(ReLU()(x).scalars, [0, 0, 0.5, 1, 3, 7])
        XCTAssertEqual(ReLU(maxValue: 6)(x).scalars, [0, 0, 0.5, 1, 3, 6])
        // Keras: x where x > threshold, else negative_slope·(x − threshold); exactly at the threshold, 0.
        let y = ReLU(maxValue: 2, negativeSlope: 0.1, threshold: 0.5)(x).scalars
        let expected: [Float] = [-0.15, -0.05, 0, 1, 2, 2]
        for (a, b) in zip(y, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(ReLU(negativeSlope: 0.5)(x).scalars[0], -0.5)
    }

    func testSoftmaxOverSeveralAxesSumsToOneOverThem() {
        let y = Softmax(axis: [1, 2])(RandomNormal(seed: 6, stddev: 1)([2, 3, 4]))
        let sums = y.sum(axes: [1, 2]).scalars
        for s in sums { XCTAssertEqual(s, 1, accuracy: 1e-5) }
    }

    func testShapeLayers() {
        XCTAssertEqual(Flatten()(Tensor.zeros([2, 3, 4])).shape, [2, 12])
        XCTAssertEqual(Flatten()(Tensor.zeros([5])).shape, [5, 1])
        XCTAssertEqual(Reshape(targetShape: [-1, 2])(Tensor.zeros([3, 8])).shape, [3, 4, 2])
        XCTAssertEqual(Concatenate(axis: 1)([Tensor.zeros([2, 1]), Tensor.ones([2, 3])]).shape, [2, 4])
        XCTAssertEqual(Add()([Tensor.ones([2, 2]), Tensor.ones([2, 2]), Tensor.ones([2, 2])]).scalars, [3, 3, 3, 3])
        XCTAssertEqual(GlobalMaxPooling2D()(Tensor.zeros([2, 3, 3, 4])).shape, [2, 4])
        XCTAssertEqual(AveragePooling2D(poolSize: [3, 3], padding: .same, strides: [2, 2])(Tensor.zeros([1, 5, 5, 1])).shape,
                       [1, 3, 3, 1])
        XCTAssertEqual(ActivationLayer(activation: "relu")(Tensor(shape: [2], scalars: [-1, 2])).scalars, [0, 2])
    }

    func testEmbeddingAcceptsFloatIds() {
        let embedding = Embedding(inputDim: 4, outputDim: 2, embeddingsInitializer: Identity())
        let fromFloats = embedding(Tensor(shape: [1, 2], scalars: [1, 0]))
        XCTAssertEqual(fromFloats.shape, [1, 2, 2])
        XCTAssertEqual(fromFloats.scalars, [0, 1, 1, 0])
        XCTAssertEqual(embedding(Tensor(shape: [1, 2], int32s: [1, 0])).scalars, fromFloats.scalars)
    }
}
