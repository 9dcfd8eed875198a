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

    /// The activations Keras 3 added, with their non-default arguments too (the Keras parity
    /// cases use the defaults, and no Activation layer can call `threshold`).
    func testKeras3Activations() {
        check("hardShrink", { $0.hardShrink() }) { Swift.abs($0) > 0.5 ? $0 : 0 }
        check("hardShrink 1", { $0.hardShrink(threshold: 1) }) { Swift.abs($0) > 1 ? $0 : 0 }
        check("softShrink", { $0.softShrink() }) { $0 > 0.5 ? $0 - 0.5 : ($0 < -0.5 ? $0 + 0.5 : 0) }
        check("softShrink 1.5", { $0.softShrink(threshold: 1.5) }) { $0 > 1.5 ? $0 - 1.5 : ($0 < -1.5 ? $0 + 1.5 : 0) }
        check("tanhShrink", { $0.tanhShrink() }) { $0 - Foundation.tanh($0) }
        check("squareplus", { $0.squareplus() }) { ($0 + Foundation.sqrt($0 * $0 + 4)) / 2 }
        check("squareplus 1", { $0.squareplus(b: 1) }) { ($0 + Foundation.sqrt($0 * $0 + 1)) / 2 }
        check("sparsePlus", { $0.sparsePlus() }) { $0 <= -1 ? 0 : ($0 >= 1 ? $0 : ($0 + 1) * ($0 + 1) / 4) }
        check("sparseSigmoid", { $0.sparseSigmoid() }) { Swift.min(Swift.max(($0 + 1) / 2, 0), 1) }
        check("threshold 0.5 -> -3", { $0.threshold(0.5, defaultValue: -3) }) { $0 > 0.5 ? $0 : -3 }
        check("threshold 0 -> 0 (relu)", { $0.threshold(0, defaultValue: 0) }) { Swift.max($0, 0) }
    }

    /// At their corners the gradients are those jax.grad gives Keras's definitions (values
    /// taken from jax.grad on the jax backend): `where` passes the gradient only on its chosen
    /// side, clip and maximum split a tie in half.
    func testKeras3ActivationGradientsAtTheirCornersFollowJAX() {
        let x = Tensor(shape: [7], scalars: [-1, 1, 0, -0.5, 0.5, 2, -2])
        func gradient(_ f: (Tensor) -> Tensor) -> [Float] {
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { f(x).sum() }
            return tape.gradient(of: y, wrt: x)?.scalars ?? []
        }
        XCTAssertEqual(gradient { $0.sparseSigmoid() }, [0.25, 0.25, 0.5, 0.5, 0.5, 0, 0])
        XCTAssertEqual(gradient { $0.sparsePlus() }, [0, 1, 0.5, 0.25, 0.75, 1, 0])
        XCTAssertEqual(gradient { $0.hardShrink() }, [1, 1, 0, 0, 0, 1, 1])
        XCTAssertEqual(gradient { $0.softShrink() }, [1, 1, 0, 0, 0, 1, 1])
        XCTAssertEqual(gradient { $0.threshold(0.5, defaultValue: -3) }, [0, 1, 0, 0, 0, 1, 0])

        // Keras's sparsemax: τ = (Σ cumsum over the support − 1) / k; a tie at x = τ splits.
        let z = Tensor(shape: [2, 4], scalars: [1, 1, 0.2, -3, 0.3, 0.1, 0.9, 0.2])
        let firstOutput = Tensor(shape: [2, 4], scalars: [1, 0, 0, 0, 0, 0, 0, 0])
        let tape = GradientTape()
        tape.watch(z)
        var y = Tensor(0)
        let target = tape.record { () -> Tensor in
            y = z.sparsemax()
            return (y * firstOutput).sum()
        }
        assertClose(y.scalars, [0, 0, 0, 0, 0, 0, 0.0666667, 0], absolute: 1e-6)
        let row = tape.gradient(of: target, wrt: z)?.scalars ?? []
        assertClose(row, [0, -0.25, 0, 0, 0, 0, 0, 0], absolute: 1e-6)
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
