import XCTest
@testable import KeelTensor

/// Max and average pooling against the naive windows, with TensorFlow's 'same' rule: padded
/// positions never take part.
final class PoolingTests: XCTestCase {
    private let configs: [(input: [Int], size: (Int, Int), strides: (Int, Int)?, same: Bool)] = [
        ([2, 4, 4, 2], (2, 2), nil, false),
        ([1, 5, 5, 1], (2, 2), nil, false),
        ([1, 5, 5, 1], (2, 2), nil, true),
        ([1, 5, 5, 2], (3, 3), (2, 2), true),
        ([1, 5, 6, 2], (2, 3), (1, 2), false),
        ([1, 4, 5, 1], (2, 2), (1, 1), true),
        ([2, 3, 3, 1], (3, 3), (1, 1), true),
        // More output pixels than the kernels' parallel threshold.
        ([1, 48, 48, 2], (2, 2), nil, false),
        ([2, 33, 33, 1], (3, 3), (2, 2), true),
    ]

    private func check(max useMax: Bool) {
        for config in configs {
            var random = TestRandom(name: "pool \(config.input)")
            let x = Tensor.testUniform(config.input, &random)
            let padding: Padding = config.same ? .same : .valid
            let y = useMax ? x.maxPool2d(poolSize: config.size, strides: config.strides, padding: padding)
                : x.avgPool2d(poolSize: config.size, strides: config.strides, padding: padding)
            let expected = Ref.pool2d(RefArray(x), size: config.size, strides: config.strides ?? config.size,
                                      same: config.same, max: useMax)
            assertClose(y, expected, absolute: 1e-6, relative: 1e-5,
                        "\(useMax ? "max" : "avg") pool \(config.input) size \(config.size) strides \(String(describing: config.strides)) same \(config.same)")
        }
    }

    func testMaxPoolMatchesNaiveWindows() { check(max: true) }
    func testAveragePoolMatchesNaiveWindows() { check(max: false) }

    /// A max over negative values must not see the zeros of the padding, and an average must
    /// divide by the real pixels only.
    func testPaddingNeverTakesPart() {
        let negative = Tensor(repeating: -2, shape: [1, 3, 3, 1])
        XCTAssertEqual(negative.maxPool2d(padding: .same).scalars, [-2, -2, -2, -2])
        let ones = Tensor.ones([1, 5, 5, 1])
        XCTAssertEqual(ones.avgPool2d(poolSize: (3, 3), strides: (2, 2), padding: .same).scalars,
                       [Float](repeating: 1, count: 9))
    }

    /// A window's gradient goes to its first maximum on a tie (scanning rows, then columns); a NaN
    /// after the first pixel never becomes the maximum.
    func testMaxPoolTiesRouteToTheFirstMaximum() {
        // Two channels: channel 0 ties at 5 in three pixels, channel 1 has a NaN in the second pixel.
        let x = Tensor(shape: [1, 2, 2, 2], scalars: [1, 3, 5, .nan, 5, 2, 5, 1])
        let tape = GradientTape()
        tape.watch(x)
        let y = tape.record { x.maxPool2d() }
        XCTAssertEqual(y.scalars, [5, 3])
        let dx = tape.gradient(of: y, wrt: [x])[0]!
        XCTAssertEqual(dx.scalars, [0, 1, 1, 0, 0, 0, 0, 0])
    }

    func testOutputShapes() {
        let x = Tensor.zeros([2, 5, 7, 3])
        XCTAssertEqual(x.maxPool2d().shape, [2, 2, 3, 3])
        XCTAssertEqual(x.maxPool2d(padding: .same).shape, [2, 3, 4, 3])
        XCTAssertEqual(x.avgPool2d(poolSize: (3, 3), strides: (1, 1)).shape, [2, 3, 5, 3])
        XCTAssertEqual(x.avgPool2d(poolSize: (3, 2), strides: (2, 3), padding: .same).shape, [2, 3, 3, 3])
    }

    func testGlobalPoolsReduceTheSpatialAxes() {
        let x = Tensor.iota([2, 2, 3, 2])
        assertClose(x.globalAvgPool2d(), Ref.reduce(RefArray(x), axes: [1, 2], keepDims: false) { $0.reduce(0, +) / Float($0.count) })
        assertClose(x.globalMaxPool2d(keepDims: true), Ref.reduce(RefArray(x), axes: [1, 2], keepDims: true) { $0.max()! })
    }

    /// Overlapping windows: an input pixel gets one unit of gradient per window it wins.
    func testMaxPoolGradientCountsTheWindowsEachPixelWins() {
        var random = TestRandom(seed: 71)
        let x = Tensor(shape: [1, 5, 5, 1], scalars: random.shuffled((0..<25).map { Float($0) }))
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x.maxPool2d(poolSize: (3, 3), strides: (1, 1), padding: .same)
        }
        var wins = [Float](repeating: 0, count: 25)
        let v = x.scalars
        for oy in 0..<5 {
            for ox in 0..<5 {
                var best = -1
                for iy in max(oy - 1, 0)...min(oy + 1, 4) {
                    for ix in max(ox - 1, 0)...min(ox + 1, 4) where best < 0 || v[iy * 5 + ix] > v[best] {
                        best = iy * 5 + ix
                    }
                }
                wins[best] += 1
            }
        }
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, wins)
    }

    /// With ties, each window's gradient goes to exactly one of the tied pixels.
    func testMaxPoolGradientWithTiesGoesToOnePixelPerWindow() {
        let x = Tensor.ones([1, 4, 4, 1])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x.maxPool2d()
        }
        let gradient = tape.gradient(of: y, wrt: x)!
        let perWindow = gradient.reshaped([2, 2, 2, 2]).transposed([0, 2, 1, 3]).reshaped([4, 4])
        XCTAssertEqual(perWindow.sum(axes: [1]).scalars, [1, 1, 1, 1])
        XCTAssertEqual(perWindow.scalars.filter { $0 != 0 }.count, 4)
    }

    /// Average pooling gradient: each output spreads its gradient evenly over its real pixels.
    func testAveragePoolGradientSpreadsOverRealPixels() {
        let x = Tensor.zeros([1, 3, 3, 1])
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x.avgPool2d(padding: .same)
        }
        // Windows: 2×2 (top left), 2×1, 1×2, 1×1; each pixel gets 1/(its window's size).
        XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1])
    }
}
