import XCTest
import Keel

/// The noise layers in training, which the Keras fixtures (inference only) cannot cover: each
/// applies its noise with the statistics Keras's formula gives, repeats it under a seed, and
/// passes its input through in inference. Also ELU and PReLU options the fixtures leave out.
final class NoiseLayerTests: XCTestCase {
    private func mean(_ values: [Float]) -> Double { values.reduce(0) { $0 + Double($1) } / Double(values.count) }
    private func variance(_ values: [Float]) -> Double {
        let m = mean(values)
        return values.reduce(0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(values.count)
    }

    func testGaussianNoiseAddsNoiseOfItsStandardDeviationInTrainingOnly() {
        let layer = GaussianNoise(stddev: 0.3, seed: 4)
        let x = Tensor.ones([200, 100])
        XCTAssertEqual(layer(x, training: false).scalars, x.scalars)
        let y = layer(x, training: true).scalars
        XCTAssertEqual(mean(y), 1, accuracy: 0.01)
        XCTAssertEqual(variance(y).squareRoot(), 0.3, accuracy: 0.01)
        XCTAssertTrue(layer.usesTrainingFlag)
        XCTAssertEqual(GaussianNoise(stddev: 0.3, seed: 4)(x, training: true).scalars, y, "a seed repeats the noise")
        XCTAssertNotEqual(GaussianNoise(stddev: 0.3, seed: 5)(x, training: true).scalars, y)
    }

    func testGaussianDropoutMultipliesByNoiseWithDropoutsVariance() {
        let layer = GaussianDropout(rate: 0.4, seed: 2)
        let x = Tensor.ones([200, 100]) * 2
        XCTAssertEqual(layer(x, training: false).scalars, x.scalars)
        let y = layer(x, training: true).scalars
        XCTAssertEqual(mean(y), 2, accuracy: 0.03)
        // x·N(1, rate/(1 − rate)): standard deviation 2·√(0.4/0.6).
        XCTAssertEqual(variance(y).squareRoot(), 2 * (0.4 / 0.6).squareRoot(), accuracy: 0.03)
    }

    func testAlphaDropoutKeepsMeanAndVarianceOfStandardizedInputs() {
        let layer = AlphaDropout(rate: 0.2, seed: 6)
        let x = RandomNormal(seed: 3, stddev: 1)([300, 200])
        XCTAssertEqual(layer(x, training: false).scalars, x.scalars)
        let y = layer(x, training: true).scalars
        XCTAssertEqual(mean(y), 0, accuracy: 0.02)
        XCTAssertEqual(variance(y), 1, accuracy: 0.03)
        // Dropped values all become a·(−scale·alpha) + b, the same constant.
        let saturation = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
        let a = 1 / ((1 - 0.2) * (1 + 0.2 * saturation * saturation)).squareRoot()
        let dropped = Float(a * saturation - a * saturation * 0.2)
        let droppedShare = Double(y.filter { abs($0 - dropped) < 1e-6 }.count) / Double(y.count)
        XCTAssertEqual(droppedShare, 0.2, accuracy: 0.01)
    }

    func testAlphaDropoutNoiseShapeSharesTheMaskAndRefusesShapesItCannotBroadcastTo() throws {
        let layer = AlphaDropout(rate: 0.5, seed: 1, noiseShape: [nil, 1])
        let y = layer(Tensor.ones([6, 5]), training: true).scalars
        for row in 0..<6 { XCTAssertEqual(Set(y[(row * 5)..<(row * 5 + 5)]).count, 1, "row \(row) shares one mask value") }
        XCTAssertThrowsError(try AlphaDropout(rate: 0.5, noiseShape: [nil, 3])(Input(shape: [5])))
    }

    /// Every feature map (one sample, one channel) is either all zero or all scaled by 1/(1 − rate).
    private func checkWholeMapsDropped(_ y: Tensor, channelAxis: Int, rate: Float,
                                       file: StaticString = #filePath, line: UInt = #line) {
        let perm = [0, channelAxis] + (1..<y.rank).filter { $0 != channelAxis }
        let maps = y.transposed(perm).reshaped([y.shape[0] * y.shape[channelAxis], -1])
        let values = maps.scalars, size = maps.shape[1]
        var droppedMaps = 0
        for map in 0..<maps.shape[0] {
            let unique = Set(values[(map * size)..<((map + 1) * size)])
            XCTAssertEqual(unique.count, 1, "map \(map) is not uniform", file: file, line: line)
            guard let value = unique.first else { continue }
            XCTAssertTrue(value == 0 || abs(value - 1 / (1 - rate)) < 1e-6, "map value \(value)", file: file, line: line)
            if value == 0 { droppedMaps += 1 }
        }
        XCTAssertEqual(Double(droppedMaps) / Double(maps.shape[0]), Double(rate), accuracy: 0.1, file: file, line: line)
    }

    func testSpatialDropoutsDropWholeFeatureMaps() {
        let d1 = SpatialDropout1D(rate: 0.5, seed: 1)
        XCTAssertEqual(d1(Tensor.ones([4, 6, 3]), training: false).scalars, Tensor.ones([4, 6, 3]).scalars)
        checkWholeMapsDropped(d1(Tensor.ones([16, 6, 16]), training: true), channelAxis: 2, rate: 0.5)
        checkWholeMapsDropped(SpatialDropout2D(rate: 0.25, seed: 2)(Tensor.ones([16, 4, 5, 16]), training: true),
                              channelAxis: 3, rate: 0.25)
        checkWholeMapsDropped(SpatialDropout2D(rate: 0.5, seed: 3, dataFormat: .channelsFirst)(Tensor.ones([16, 16, 4, 5]),
                                                                                               training: true),
                              channelAxis: 1, rate: 0.5)
        checkWholeMapsDropped(SpatialDropout3D(rate: 0.5, seed: 4)(Tensor.ones([16, 2, 3, 2, 16]), training: true),
                              channelAxis: 4, rate: 0.5)
        checkWholeMapsDropped(SpatialDropout3D(rate: 0.5, seed: 5, dataFormat: .channelsFirst)(Tensor.ones([16, 16, 2, 3, 2]),
                                                                                               training: true),
                              channelAxis: 1, rate: 0.5)
        XCTAssertEqual(SpatialDropout1D(rate: 1)(Tensor.ones([1, 2, 2]), training: true).scalars, [0, 0, 0, 0])
    }

    func testSeededNoiseRepeatsAndUnseededFollowsTheEngineSeed() {
        let x = Tensor.ones([4, 3, 3, 8])
        XCTAssertEqual(SpatialDropout2D(rate: 0.5, seed: 9)(x, training: true).scalars,
                       SpatialDropout2D(rate: 0.5, seed: 9)(x, training: true).scalars)
        KeelRandom.setSeed(11)
        let first = [SpatialDropout2D(rate: 0.5)(x, training: true).scalars, GaussianNoise(stddev: 0.2)(x, training: true).scalars,
                     GaussianDropout(rate: 0.2)(x, training: true).scalars, AlphaDropout(rate: 0.2)(x, training: true).scalars]
        KeelRandom.setSeed(11)
        let again = [SpatialDropout2D(rate: 0.5)(x, training: true).scalars, GaussianNoise(stddev: 0.2)(x, training: true).scalars,
                     GaussianDropout(rate: 0.2)(x, training: true).scalars, AlphaDropout(rate: 0.2)(x, training: true).scalars]
        XCTAssertEqual(first, again)
    }

    func testSpatialDropoutWritesKerasConfigWithoutTrainable() throws {
        let layer = SpatialDropout2D(rate: 0.3, seed: 2, dataFormat: .channelsFirst, name: "drop")
        XCTAssertEqual(JSONValue.object(layer.config).serialized(),
                       #"{"rate": 0.3, "seed": 2, "name": "drop", "dtype": "float32", "data_format": "channels_first"}"#)
        XCTAssertEqual(Array(SpatialDropout1D(rate: 0.5).config.keys), ["rate", "seed", "name", "dtype"])
        XCTAssertThrowsError(try SpatialDropout1D(config: ["rate": 1.5]))
        XCTAssertThrowsError(try SpatialDropout2D(rate: 0.5)(Input(shape: [4, 4])))
    }

    func testELUUsesItsAlphaAndWritesKerasKeyOrder() {
        let layer = ELU(alpha: 0.5, name: "e")
        let y = layer(Tensor(shape: [3], scalars: [-1, 0, 2])).scalars
        XCTAssertEqual(y[0], Float(0.5 * expm1(-1.0)), accuracy: 1e-6)
        XCTAssertEqual(Array(y[1...]), [0, 2])
        XCTAssertEqual(Array(layer.config.keys), ["name", "alpha", "trainable", "dtype"])
        XCTAssertEqual(Array(ELU(activityRegularizer: L2(l2: 0.01)).config.keys),
                       ["name", "alpha", "activity_regularizer", "trainable", "dtype"])
    }

    func testPReLUAlphaHasTheInputShapeWithOnesOnSharedAxes() throws {
        let layer = try PReLU(config: ["shared_axes": 2, "alpha_initializer": ["class_name": "Constant", "config": ["value": 0.25]]])
        XCTAssertEqual(layer.config["shared_axes"], [2], "one axis is written as a list, as Keras does")
        let x = Tensor(shape: [1, 2, 3], scalars: [-4, 1, -2, 3, -1, 0])
        let y = layer(x).scalars
        XCTAssertEqual(layer.alpha.shape, [2, 1])
        XCTAssertEqual(y, [-1, 1, -0.5, 3, -0.25, 0])
        XCTAssertEqual(try PReLU(sharedAxes: [1, 2])(Input(shape: [4, 5, 3])).shape, [nil, 4, 5, 3])
        XCTAssertThrowsError(try PReLU(sharedAxes: [0])(Input(shape: [4])))
        XCTAssertThrowsError(try PReLU(sharedAxes: [3])(Input(shape: [4, 5])))
        XCTAssertThrowsError(try PReLU()(Input(shape: [nil, 5]))) { error in
            XCTAssertTrue("\(error)".contains("known"), "\(error)")
        }
        let shared = PReLU(sharedAxes: [1, 2])
        _ = shared(Tensor.ones([2, 4, 5, 3]))
        XCTAssertEqual(shared.alpha.shape, [1, 1, 3])
    }
}
