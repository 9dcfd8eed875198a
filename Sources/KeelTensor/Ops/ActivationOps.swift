#if canImport(Glibc)
import Glibc
#endif

/// Keras's activation functions as tensor ops. Piecewise-linear ones pass the gradient through a
/// constant mask (their second derivative is zero); smooth ones build the derivative from tensor
/// ops where that stays cheap.
extension Tensor {
    /// A constant (non-differentiated) elementwise function of self, for gradient masks.
    @inline(__always)
    func constant(_ name: String, _ f: (Float) -> Float) -> Tensor { mapFloats(name, f) }

    public func tanh() -> Tensor { unary("tanh", { Glibc.tanhf($0) }) { _, y, g in g * (1 - y * y) } }

    public func sigmoid() -> Tensor {
        unary("sigmoid", { Tensor.sigmoidValue($0) }) { _, y, g in g * y * (1 - y) }
    }

    @inline(__always)
    static func sigmoidValue(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Glibc.expf(-x)) : { let e = Glibc.expf(x); return e / (1 + e) }()
    }

    public func relu() -> Tensor {
        let x = self
        return differentiable(mapFloats("relu", ReluFunction()), [x], { g in [g.reluGradient(input: x)] })
    }

    /// The upstream gradient where the ReLU's input was positive; linear in the gradient, so its
    /// own gradient is the same mask.
    func reluGradient(input x: Tensor) -> Tensor {
        let out = Tensor.zipFloats(self, x, "relu", ReluGradientFunction())
        return differentiable(out, [self], { g in [g.reluGradient(input: x)] })
    }

    public func relu6() -> Tensor {
        unary("relu6", { Swift.min(Swift.max($0, 0), 6) }) { x, _, g in
            g * x.constant("relu6") { $0 > 0 && $0 < 6 ? 1 : 0 }
        }
    }

    /// Keras's ReLU layer in full: max_value, negative_slope below threshold, threshold.
    public func relu(negativeSlope: Float, maxValue: Float?, threshold: Float) -> Tensor {
        let top = maxValue ?? .infinity
        func value(_ v: Float) -> Float {
            if v >= top { return top }
            if v >= threshold { return v }
            return negativeSlope * (v - threshold)
        }
        return unary("relu", value) { x, _, g in
            g * x.constant("relu") { $0 >= top ? 0 : ($0 >= threshold ? 1 : negativeSlope) }
        }
    }

    public func leakyRelu(negativeSlope: Float = 0.2) -> Tensor {
        let x = self
        return differentiable(mapFloats("leaky_relu", LeakyReluFunction(slope: negativeSlope)), [x], { g in
            [g.leakyReluGradient(input: x, negativeSlope: negativeSlope)]
        })
    }

    /// The upstream gradient scaled where the input was negative; linear in the gradient, so
    /// its own gradient is the same mask.
    func leakyReluGradient(input x: Tensor, negativeSlope: Float) -> Tensor {
        let out = Tensor.zipFloats(self, x, "leaky_relu", LeakyReluGradientFunction(slope: negativeSlope))
        return differentiable(out, [self], { g in [g.leakyReluGradient(input: x, negativeSlope: negativeSlope)] })
    }

    public func elu(alpha: Float = 1) -> Tensor {
        unary("elu", { $0 > 0 ? $0 : alpha * Glibc.expm1f($0) }) { x, y, g in
            let positive = x.constant("elu") { $0 > 0 ? 1 : 0 }
            return g * (positive + (1 - positive) * (y + alpha))
        }
    }

    public static let seluAlpha: Float = 1.6732632423543772848170429916717
    public static let seluScale: Float = 1.0507009873554804934193349852946

    public func selu() -> Tensor { elu(alpha: Tensor.seluAlpha) * Tensor.seluScale }

    /// CELU: max(x, 0) + min(0, alpha·(exp(x/alpha) − 1)).
    public func celu(alpha: Float = 1) -> Tensor {
        unary("celu", { $0 > 0 ? $0 : alpha * Glibc.expm1f($0 / alpha) }) { x, y, g in
            let positive = x.constant("celu") { $0 > 0 ? 1 : 0 }
            return g * (positive + (1 - positive) * (y / alpha + 1))
        }
    }

    /// GELU, exact (erf) or with Keras's tanh approximation. The derivative is itself a recorded
    /// op with a closed-form second derivative, so gradient penalties through GELU are exact.
    public func gelu(approximate: Bool = true) -> Tensor {
        let c: Float = 0.7978845608028654  // √(2/π)
        if approximate {
            return unary("gelu", { x in 0.5 * x * (1 + Glibc.tanhf(c * (x + 0.044715 * x * x * x))) }) { x, _, g in
                g * x.unary("gelu_grad", { x in
                    let t = Glibc.tanhf(c * (x + 0.044715 * x * x * x))
                    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
                }) { x, _, g2 in
                    g2 * x.constant("gelu_grad2") { x in
                        let u = c * (x + 0.044715 * x * x * x)
                        let du = c * (1 + 3 * 0.044715 * x * x), d2u = c * 6 * 0.044715 * x
                        let t = Glibc.tanhf(u)
                        return (1 - t * t) * (du + 0.5 * x * (d2u - 2 * t * du * du))
                    }
                }
            }
        }
        return unary("gelu", { x in 0.5 * x * (1 + Glibc.erff(x * 0.7071067811865476)) }) { x, _, g in
            g * x.unary("gelu_grad", { x in
                0.5 * (1 + Glibc.erff(x * 0.7071067811865476)) + x * Glibc.expf(-0.5 * x * x) * 0.3989422804014327
            }) { x, _, g2 in
                g2 * x.constant("gelu_grad2") { x in Glibc.expf(-0.5 * x * x) * 0.3989422804014327 * (2 - x * x) }
            }
        }
    }

    /// log(1 + exp(x)), computed without overflow.
    public func softplus() -> Tensor {
        let x = self
        let y = mapFloats("softplus") { v in v > 0 ? v + Glibc.log1pf(Glibc.expf(-v)) : Glibc.log1pf(Glibc.expf(v)) }
        return differentiable(y, [x], { g in [g * x.sigmoid()] })
    }

    public func softsign() -> Tensor {
        unary("softsign", { $0 / (1 + Swift.abs($0)) }) { x, _, g in g / (x.abs() + 1).squared() }
    }

    public func silu() -> Tensor { self * sigmoid() }
    public func swish() -> Tensor { silu() }

    /// Keras 3: relu6(x + 3) / 6.
    public func hardSigmoid() -> Tensor {
        unary("hard_sigmoid", { Swift.min(Swift.max($0 / 6 + 0.5, 0), 1) }) { x, _, g in
            g * x.constant("hard_sigmoid") { $0 > -3 && $0 < 3 ? 1.0 / 6 : 0 }
        }
    }

    public func hardSilu() -> Tensor { self * hardSigmoid() }

    public func hardTanh() -> Tensor {
        unary("hard_tanh", { Swift.min(Swift.max($0, -1), 1) }) { x, _, g in
            g * x.constant("hard_tanh") { $0 > -1 && $0 < 1 ? 1 : 0 }
        }
    }

    public func logSigmoid() -> Tensor { -((-self).softplus()) }
    public func mish() -> Tensor { self * softplus().tanh() }
}

/// The activations Keras 3 added (shrinks, sparse twins of softplus and sigmoid, squareplus,
/// GLU, threshold), with JAX's gradients where Keras's formulas have corners: a `where` passes
/// the gradient only on its chosen side, a clip gives half at its bounds (JAX's min/max split
/// a tie evenly).
extension Tensor {
    /// x where |x| > threshold, else 0.
    public func hardShrink(threshold: Float = 0.5) -> Tensor {
        unary("hard_shrink", { Swift.abs($0) > threshold ? $0 : 0 }) { x, _, g in
            g * x.constant("hard_shrink") { Swift.abs($0) > threshold ? 1 : 0 }
        }
    }

    /// x − threshold above threshold, x + threshold below −threshold, else 0.
    public func softShrink(threshold: Float = 0.5) -> Tensor {
        unary("soft_shrink", { $0 > threshold ? $0 - threshold : ($0 < -threshold ? $0 + threshold : 0) }) { x, _, g in
            g * x.constant("soft_shrink") { $0 > threshold || $0 < -threshold ? 1 : 0 }
        }
    }

    public func tanhShrink() -> Tensor { self - tanh() }

    /// (x + √(x² + b)) / 2: a smooth ReLU whose bend widens with `b`.
    public func squareplus(b: Float = 4) -> Tensor { (self + (squared() + b).sqrt()) / 2 }

    /// 0 up to −1, (x + 1)²/4 between, x from 1: softplus's twin with exact zeros. Its
    /// derivative is `sparseSigmoid`, which has the same values at ±1 as JAX's `where` gives.
    public func sparsePlus() -> Tensor {
        unary("sparse_plus", { $0 <= -1 ? 0 : ($0 >= 1 ? $0 : ($0 + 1) * ($0 + 1) / 4) }) { x, _, g in
            g * x.sparseSigmoid()
        }
    }

    /// (x + 1)/2 clipped to [0, 1]: sigmoid's piecewise-linear twin.
    public func sparseSigmoid() -> Tensor {
        unary("sparse_sigmoid", { 0.5 * Swift.min(Swift.max($0 + 1, 0), 2) }) { x, _, g in
            g * x.constant("sparse_sigmoid") { $0 > -1 && $0 < 1 ? 0.5 : ($0 == -1 || $0 == 1 ? 0.25 : 0) }
        }
    }

    /// x where x > threshold, else `defaultValue` (Keras's `threshold(x, threshold, default_value)`).
    public func threshold(_ threshold: Float, defaultValue: Float) -> Tensor {
        unary("threshold", { $0 > threshold ? $0 : defaultValue }) { x, _, g in
            g * x.constant("threshold") { $0 > threshold ? 1 : 0 }
        }
    }

    /// Gated linear unit: the first half along `axis` times the sigmoid of the second half. The
    /// axis must have an even size (layers check it before calling).
    public func glu(axis: Int = -1) -> Tensor {
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "glu")
        opCheck(shape[a] % 2 == 0, "glu: axis \(axis) of shape \(shape) has an odd size; it must split into two halves")
        let halves = split(count: 2, axis: a)
        return halves[0] * halves[1].sigmoid()
    }
}
