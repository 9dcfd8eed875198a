import Foundation
import XCTest
@testable import KeelTensor

/// Higher-order derivatives from nested tapes: the outer tape records the inner tape's
/// gradient computation. References are closed forms or Double second differences.
final class NestedTapeTests: XCTestCase {
    private let points = Tensor(shape: [5], scalars: [-1.5, -0.4, 0.1, 0.7, 1.3])

    /// d²f/dx² of an elementwise f, at every point.
    private func secondDerivative(_ f: (Tensor) -> Tensor, at x: Tensor) -> Tensor? {
        let outer = GradientTape()
        let firstDerivative = outer.record { () -> Tensor? in
            outer.watch(x)
            let inner = GradientTape()
            let y = inner.record { () -> Tensor in
                inner.watch(x)
                return f(x).sum()
            }
            return inner.gradient(of: y, wrt: x)
        }
        guard let firstDerivative else { return nil }
        return outer.gradient(of: firstDerivative, wrt: x)
    }

    /// (f(x+h) − 2f(x) + f(x−h)) / h² in Double.
    private func numericSecondDerivative(_ f: (Double) -> Double, _ x: Double) -> Double {
        let h = 1e-4
        return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)
    }

    private func check(_ name: String, _ f: (Tensor) -> Tensor, _ reference: (Double) -> Double) {
        guard let second = secondDerivative(f, at: points) else { return XCTFail("\(name): no second derivative") }
        let expected = points.scalars.map { Float(numericSecondDerivative(reference, Double($0))) }
        assertClose(second.scalars, expected, absolute: 1e-4, relative: 1e-3, "d²/dx² \(name)")
    }

    func testSecondDerivativeOfCubeIsSixX() {
        let sixX = points.scalars.map { 6 * $0 }
        assertClose(secondDerivative({ $0 * $0 * $0 }, at: points)?.scalars ?? [], sixX, "x·x·x")
        assertClose(secondDerivative({ $0.pow(Float(3)) }, at: points)?.scalars ?? [], sixX, "x.pow(3)")
        assertClose(secondDerivative({ $0.squared() * $0 }, at: points)?.scalars ?? [], sixX, "x²·x")
    }

    func testSecondDerivativesOfSmoothCompositions() {
        func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
        check("tanh", { $0.tanh() }, Foundation.tanh)
        check("sigmoid", { $0.sigmoid() }, sigmoid)
        check("exp", { $0.exp() }, Foundation.exp)
        check("exp(tanh(x))", { $0.tanh().exp() }) { Foundation.exp(Foundation.tanh($0)) }
        check("sigmoid(x)·tanh(2x)", { $0.sigmoid() * ($0 * 2).tanh() }) { sigmoid($0) * Foundation.tanh(2 * $0) }
        check("tanh(exp(x)·sin(x))", { ($0.exp() * $0.sin()).tanh() }) { Foundation.tanh(Foundation.exp($0) * Foundation.sin($0)) }
        check("log(1 + x²)", { ($0.squared() + 1).log() }) { Foundation.log(1 + $0 * $0) }
        check("softplus", { $0.softplus() }) { Foundation.log(1 + Foundation.exp($0)) }
        check("1/(2 + sin x)", { ($0.sin() + 2).reciprocal() }) { 1 / (2 + Foundation.sin($0)) }
    }

    func testThirdDerivativeOfFourthPowerFromThreeTapes() {
        let x = points
        let outermost = GradientTape()
        let second = outermost.record { () -> Tensor? in
            outermost.watch(x)
            let middle = GradientTape()
            let first = middle.record { () -> Tensor? in
                middle.watch(x)
                let inner = GradientTape()
                let y = inner.record { () -> Tensor in
                    inner.watch(x)
                    return (x * x * x * x).sum()
                }
                return inner.gradient(of: y, wrt: x)
            }
            return first.flatMap { middle.gradient(of: $0, wrt: x) }
        }
        let third = second.flatMap { outermost.gradient(of: $0, wrt: x) }
        assertClose(third?.scalars ?? [], x.scalars.map { 24 * $0 }, absolute: 1e-4)
    }

    /// d/dy of ∂(x²y)/∂x = 2x: the outer tape differentiates with respect to a tensor the inner
    /// one never watched.
    func testMixedPartialDerivative() {
        let x = Tensor(shape: [2], scalars: [1.5, -2]), y = Tensor(shape: [2], scalars: [3, 0.5])
        let outer = GradientTape()
        let dfdx = outer.record { () -> Tensor? in
            outer.watch(y)
            let inner = GradientTape()
            let f = inner.record { () -> Tensor in
                inner.watch(x)
                return (x * x * y).sum()
            }
            return inner.gradient(of: f, wrt: x)
        }
        XCTAssertEqual(dfdx?.scalars, [9, -2], "2xy")
        XCTAssertEqual(dfdx.flatMap { outer.gradient(of: $0, wrt: y) }?.scalars, [3, -4], "2x")
    }

    /// A gradient penalty as WGAN-GP computes it: ‖∂D/∂x‖² differentiated with respect to the
    /// critic's trainable variable, which both tapes watch because it is read inside both.
    func testGradientPenaltyThroughAVariable() {
        let w = Variable(Tensor(shape: [2], scalars: [0.5, -1]), name: "w")
        let x = Tensor(shape: [2], scalars: [1, 2])
        let outer = GradientTape()
        let penalty = outer.record { () -> Tensor in
            let inner = GradientTape()
            let critic = inner.record { () -> Tensor in
                inner.watch(x)
                return (x * w.value).tanh().sum()
            }
            let dx = inner.gradient(of: critic, wrt: x)!
            return dx.squared().sum()
        }
        // D = Σ tanh(w·x); ∂D/∂x = w·(1 − t²); P = Σ w²(1 − t²)²;
        // ∂P/∂w = 2w(1 − t²)² − 4w²(1 − t²)²·t·x.
        let expected = zip(w.value.scalars, x.scalars).map { wi, xi -> Float in
            let t = Foundation.tanh(wi * xi), s = 1 - t * t
            return 2 * wi * s * s - 4 * wi * wi * s * s * t * xi
        }
        assertClose(outer.gradient(of: penalty, wrt: [w])[0]?.scalars ?? [], expected, absolute: 1e-5, relative: 1e-4)
    }
}
