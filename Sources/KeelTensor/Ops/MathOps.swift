#if canImport(Glibc)
import Glibc
#endif
internal import CKernels

/// Elementwise math. Backward rules are written with tensor ops, so an outer tape can
/// differentiate them again (higher-order gradients).
extension Tensor {
    /// y = f(x) recorded with `backward(x, y, upstream gradient)`.
    @inline(__always)
    func unary(_ name: String, _ f: (Float) -> Float,
               _ backward: @escaping (Tensor, Tensor, Tensor) -> Tensor) -> Tensor {
        let x = self
        let y = mapFloats(name, f)
        return differentiable(y, [x], { g in [backward(x, y, g)] })
    }

    public func squared() -> Tensor {
        let x = self
        return differentiable(mapFloats("square", SquareFunction()), [x], { g in [g * x * 2] })
    }
    public func sqrt() -> Tensor {
        let x = self
        let y = vectorKernel("sqrt", keel_sqrt)
        return differentiable(y, [x], { g in [g / (y * 2)] })
    }

    public func rsqrt() -> Tensor {
        let x = self
        let y = vectorKernel("rsqrt", keel_rsqrt)
        return differentiable(y, [x], { g in [g * y * y * y * -0.5] })
    }

    /// Runs one of the C kernels (CKernels) over the elements, split across cores when large.
    func vectorKernel(_ op: String, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        opCheck(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype) \(shape)")
        let out = Tensor(uninitializedShape: shape)
        let x = UnsafePointer(storage.floats), o = out.storage.floats
        Parallel.forRanges(count) { range in kernel(x + range.lowerBound, o + range.lowerBound, range.count) }
        return out
    }
    public func exp() -> Tensor { unary("exp", { Glibc.expf($0) }) { _, y, g in g * y } }
    public func log() -> Tensor { unary("log", { Glibc.logf($0) }) { x, _, g in g / x } }
    public func log1p() -> Tensor { unary("log1p", { Glibc.log1pf($0) }) { x, _, g in g / (x + 1) } }
    public func expm1() -> Tensor { unary("expm1", { Glibc.expm1f($0) }) { _, y, g in g * (y + 1) } }
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }) { x, _, g in g * x.sign() } }
    /// -1, 0 or 1; its gradient is zero.
    public func sign() -> Tensor {
        unary("sign", { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }) { x, _, _ in Tensor.zeros(x.shape) }
    }
    public func sin() -> Tensor { unary("sin", { Glibc.sinf($0) }) { x, _, g in g * x.cos() } }
    public func cos() -> Tensor { unary("cos", { Glibc.cosf($0) }) { x, _, g in -(g * x.sin()) } }
    public func reciprocal() -> Tensor { unary("reciprocal", { 1 / $0 }) { _, y, g in -(g * y * y) } }

    /// x raised to a constant power.
    public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return squared() }
        return unary("pow", { Glibc.powf($0, exponent) }) { x, _, g in
            g * x.pow(exponent - 1) * exponent
        }
    }

    /// x raised to y elementwise (broadcasting). d/dy is taken as 0 where x ≤ 0, as TensorFlow does.
    public func pow(_ exponent: Tensor) -> Tensor {
        let x = self
        let y = Tensor.zipFloats(x, exponent, "pow") { Glibc.powf($0, $1) }
        return differentiable(y, [x, exponent], { g in
            let dx = g * exponent * x.pow(exponent - 1)
            // log(x) where x > 0, else 0, built from ops so the second derivative is right too.
            let positive = x.mapFloats("pow") { $0 > 0 ? 1 : 0 }
            let safeLog = (x * positive + (1 - positive)).log()
            let dy = g * y * safeLog
            return [dx.summed(toShape: x.shape), dy.summed(toShape: exponent.shape)]
        })
    }
}
