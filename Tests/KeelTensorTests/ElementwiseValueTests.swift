import Foundation
import XCTest
@testable import KeelTensor

/// Forward values of the elementwise math and activation ops against their Keras definitions
/// evaluated in Double.
final class ElementwiseValueTests: XCTestCase {
    /// -4, -3.75, ..., 4 plus points right at the kinks.
    private let points: [Float] = (-16...16).map { Float($0) * 0.25 } + [-6, 6, 6.5, 1e-3, -1e-3]

    private func check(_ name: String, domain: (Float) -> Bool = { _ in true }, absolute: Double = 1e-6,
                       _ op: (Tensor) -> Tensor, _ reference: (Double) -> Double) {
        let inputs = points.filter(domain)
        let outputs = op(Tensor(shape: [inputs.count], scalars: inputs)).scalars
        for (x, y) in zip(inputs, outputs) {
            let expected = reference(Double(x))
            if !(Swift.abs(Double(y) - expected) <= absolute + 1e-5 * Swift.abs(expected)) {
                XCTFail("\(name)(\(x)) = \(y), expected \(expected)")
            }
        }
    }

    private static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
    private static func softplus(_ x: Double) -> Double { Foundation.log(1 + Foundation.exp(x)) }

    func testMathOps() {
        check("squared", { $0.squared() }) { $0 * $0 }
        check("sqrt", domain: { $0 >= 0 }, { $0.sqrt() }, Foundation.sqrt)
        check("rsqrt", domain: { $0 > 0 }, absolute: 1e-5, { $0.rsqrt() }) { 1 / Foundation.sqrt($0) }
        check("exp", absolute: 1e-5, { $0.exp() }, Foundation.exp)
        check("log", domain: { $0 > 0 }, { $0.log() }, Foundation.log)
        check("log1p", domain: { $0 > -1 }, { $0.log1p() }, Foundation.log1p)
        check("expm1", { $0.expm1() }, Foundation.expm1)
        check("abs", { $0.abs() }) { Swift.abs($0) }
        check("sign", { $0.sign() }) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        check("sin", { $0.sin() }, Foundation.sin)
        check("cos", { $0.cos() }, Foundation.cos)
        check("reciprocal", domain: { $0 != 0 }, absolute: 1e-4, { $0.reciprocal() }) { 1 / $0 }
        check("pow 3", { $0.pow(Float(3)) }) { $0 * $0 * $0 }
        check("pow -0.5", domain: { $0 > 0 }, absolute: 1e-5, { $0.pow(Float(-0.5)) }) { Foundation.pow($0, -0.5) }
        check("clipped", { $0.clipped(min: -0.5, max: 1.25) }) { Swift.min(Swift.max($0, -0.5), 1.25) }
    }

    func testActivations() {
        check("tanh", { $0.tanh() }, Foundation.tanh)
        check("sigmoid", { $0.sigmoid() }, Self.sigmoid)
        check("relu", { $0.relu() }) { Swift.max($0, 0) }
        check("relu6", { $0.relu6() }) { Swift.min(Swift.max($0, 0), 6) }
        check("leakyRelu", { $0.leakyRelu() }) { $0 > 0 ? $0 : 0.2 * $0 }
        check("leakyRelu 0.3", { $0.leakyRelu(negativeSlope: 0.3) }) { $0 > 0 ? $0 : 0.3 * $0 }
        check("elu", { $0.elu() }) { $0 > 0 ? $0 : Foundation.expm1($0) }
        check("elu 0.5", { $0.elu(alpha: 0.5) }) { $0 > 0 ? $0 : 0.5 * Foundation.expm1($0) }
        check("selu", { $0.selu() }) {
            1.0507009873554804934193349852946 * ($0 > 0 ? $0 : 1.6732632423543772848170429916717 * Foundation.expm1($0))
        }
        check("celu 2", { $0.celu(alpha: 2) }) { Swift.max($0, 0) + Swift.min(0, 2 * Foundation.expm1($0 / 2)) }
        check("gelu exact", { $0.gelu(approximate: false) }) { 0.5 * $0 * (1 + Foundation.erf($0 / Foundation.sqrt(2))) }
        check("gelu tanh", { $0.gelu(approximate: true) }) {
            0.5 * $0 * (1 + Foundation.tanh(Foundation.sqrt(2 / Double.pi) * ($0 + 0.044715 * $0 * $0 * $0)))
        }
        check("softplus", { $0.softplus() }, Self.softplus)
        check("softsign", { $0.softsign() }) { $0 / (1 + Swift.abs($0)) }
        check("silu", { $0.silu() }) { $0 * Self.sigmoid($0) }
        check("swish", { $0.swish() }) { $0 * Self.sigmoid($0) }
        check("hardSigmoid", { $0.hardSigmoid() }) { Swift.min(Swift.max($0 / 6 + 0.5, 0), 1) }
        check("hardSilu", { $0.hardSilu() }) { $0 * Swift.min(Swift.max($0 / 6 + 0.5, 0), 1) }
        check("hardTanh", { $0.hardTanh() }) { Swift.min(Swift.max($0, -1), 1) }
        check("logSigmoid", { $0.logSigmoid() }) { -Self.softplus(-$0) }
        check("mish", { $0.mish() }) { $0 * Foundation.tanh(Self.softplus($0)) }
    }

    /// Keras's ReLU layer: max_value caps, values below threshold get negative_slope·(x − threshold).
    func testReluWithSlopeMaximumAndThreshold() {
        check("relu(0.1, 1.5, 0.3)", { $0.relu(negativeSlope: 0.1, maxValue: 1.5, threshold: 0.3) }) {
            $0 >= 1.5 ? 1.5 : ($0 >= 0.3 ? $0 : 0.1 * ($0 - 0.3))
        }
        check("relu(0, nil, 0)", { $0.relu(negativeSlope: 0, maxValue: nil, threshold: 0) }) { Swift.max($0, 0) }
        check("relu(0, 6, 0)", { $0.relu(negativeSlope: 0, maxValue: 6, threshold: 0) }) { Swift.min(Swift.max($0, 0), 6) }
    }

    /// Extreme inputs must not overflow into inf or NaN where the true value is finite.
    func testActivationsStayFiniteForExtremeInputs() {
        let x = Tensor(shape: [4], scalars: [-100, -30, 30, 100])
        assertClose(x.sigmoid().scalars, [0, Float(Self.sigmoid(-30)), 1, 1], absolute: 1e-12)
        assertClose(x.softplus().scalars, [0, Float(Self.softplus(-30)), 30, 100], absolute: 1e-6)
        assertClose(x.logSigmoid().scalars, [-100, -30, Float(-Self.softplus(-30)), 0], absolute: 1e-6)
        XCTAssertTrue(x.mish().scalars.allSatisfy(\.isFinite))
        XCTAssertTrue(x.gelu(approximate: true).scalars.allSatisfy(\.isFinite))
        XCTAssertTrue(x.elu().scalars.allSatisfy(\.isFinite))
    }
}
