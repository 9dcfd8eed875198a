import XCTest
@testable import KeelTensor

/// Inverted dropout: dropped units are 0, kept ones are scaled by 1/(1 − rate).
final class DropoutTests: XCTestCase {
    func testKeptValuesAreScaledAndDroppedOnesAreZero() {
        var random = TestRandom(seed: 41)
        let x = Tensor.testUniform([20_000], &random, 0.5, 1.5)
        let y = x.dropout(rate: 0.25, generator: RandomGenerator(seed: 1))
        var kept = 0
        for (input, output) in zip(x.scalars, y.scalars) {
            if output == 0 { continue }
            kept += 1
            if Swift.abs(output - input / 0.75) > 1e-6 {
                return XCTFail("kept value \(input) became \(output), expected \(input / 0.75)")
            }
        }
        XCTAssertEqual(Double(kept) / 20_000, 0.75, accuracy: 0.015)
        let meanIn = x.mean().scalar, meanOut = y.mean().scalar
        XCTAssertEqual(meanOut, meanIn, accuracy: 0.02, "the expected value is preserved")
    }

    func testTheSameSeedDropsTheSameUnits() {
        let x = Tensor.ones([64])
        let a = x.dropout(rate: 0.5, generator: RandomGenerator(seed: 8)).scalars
        let b = x.dropout(rate: 0.5, generator: RandomGenerator(seed: 8)).scalars
        let c = x.dropout(rate: 0.5, generator: RandomGenerator(seed: 9)).scalars
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testRateZeroAndOne() {
        let x = Tensor(shape: [3], scalars: [1, -2, 3])
        XCTAssertEqual(x.dropout(rate: 0, generator: RandomGenerator(seed: 1)).scalars, [1, -2, 3])
        XCTAssertEqual(x.dropout(rate: 1, generator: RandomGenerator(seed: 1)).scalars, [0, 0, 0])
    }

    /// The gradient is the mask times the scale: exactly the output divided by the input.
    func testGradientIsTheScaledMask() {
        let x = Tensor(shape: [50], scalars: (1...50).map { Float($0) })
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(x)
            return x.dropout(rate: 0.5, generator: RandomGenerator(seed: 2))
        }
        let gradient = tape.gradient(of: y, wrt: x)!.scalars
        XCTAssertEqual(gradient, zip(y.scalars, x.scalars).map { $0 / $1 })
        XCTAssertTrue(gradient.allSatisfy { $0 == 0 || $0 == 2 })
    }
}
