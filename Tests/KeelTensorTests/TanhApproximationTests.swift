import Foundation
import XCTest
@testable import KeelTensor

/// The fused recurrences' tanh and sigmoid: within a few float32 ulps of the exact functions
/// (computed in Double) over every range that matters, and exact at the ends and near zero.
final class TanhApproximationTests: XCTestCase {
    func testTanhAndSigmoidAreWithinAFewUlpsEverywhere() {
        var worstTanh: Double = 0, worstSigmoid: Double = 0
        var x: Float = -30
        while x <= 30 {
            worstTanh = max(worstTanh, abs(Double(Tensor.tanhApproximation(x)) - tanh(Double(x))))
            worstSigmoid = max(worstSigmoid, abs(Double(Tensor.sigmoidApproximation(x)) - 1 / (1 + exp(-Double(x)))))
            x += 0.000_37
        }
        XCTAssertLessThan(worstTanh, 4e-7)
        XCTAssertLessThan(worstSigmoid, 3e-7)
        for tiny: Float in [0, 1e-30, -3e-5, 3.9e-4] {
            XCTAssertEqual(Tensor.tanhApproximation(tiny), tiny, "tanh(\(tiny))")
        }
        XCTAssertEqual(Tensor.tanhApproximation(.infinity), 1, accuracy: 1e-7)
        XCTAssertEqual(Tensor.tanhApproximation(-.infinity), -1, accuracy: 1e-7)
        XCTAssertEqual(Tensor.sigmoidApproximation(.greatestFiniteMagnitude), 1, accuracy: 1e-7)
    }
}
