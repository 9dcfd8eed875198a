#if canImport(Glibc)
import Glibc
#endif

/// Softmax and log-softmax along one axis, each in one fused, numerically stable pass.
extension Tensor {
    private func axisLayout(_ axis: Int, op: String) -> (outer: Int, length: Int, inner: Int) {
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: op)
        return (shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *))
    }

    /// Applies `body` to every lane (the values along the axis) with its stride.
    private func forEachLane(_ layout: (outer: Int, length: Int, inner: Int), into out: Tensor,
                             _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) {
        let (outer, length, inner) = layout
        let x = UnsafePointer(storage.floats), o = out.storage.floats
        Parallel.forRanges(outer &* inner, threshold: Swift.max(1, Parallel.elementwiseThreshold / Swift.max(length, 1))) { range in
            for lane in range {
                let i = lane / inner, k = lane % inner
                let start = i &* length &* inner &+ k
                body(x + start, o + start, length, inner)
            }
        }
    }

    public func softmax(axis: Int = -1) -> Tensor {
        opCheck(dtype == .float32, "softmax: expected a float32 tensor, found \(dtype) \(shape)")
        let out = Tensor(uninitializedShape: shape)
        forEachLane(axisLayout(axis, op: "softmax"), into: out) { x, o, n, stride in
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j &* stride]) }
            if !m.isFinite { m = 0 }
            var total: Float = 0
            for j in 0..<n {
                let e = expf(x[j &* stride] - m)
                o[j &* stride] = e
                total += e
            }
            let scale = 1 / total
            for j in 0..<n { o[j &* stride] *= scale }
        }
        return differentiable(out, [self], { g in
            [out * (g - (g * out).sum(axes: [axis], keepDims: true))]
        })
    }

    public func logSoftmax(axis: Int = -1) -> Tensor {
        opCheck(dtype == .float32, "log_softmax: expected a float32 tensor, found \(dtype) \(shape)")
        let out = Tensor(uninitializedShape: shape)
        forEachLane(axisLayout(axis, op: "log_softmax"), into: out) { x, o, n, stride in
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j &* stride]) }
            if !m.isFinite { m = 0 }
            var total: Float = 0
            for j in 0..<n { total += expf(x[j &* stride] - m) }
            // (x − m) − log Σ keeps the precision of large logits (TensorFlow's order).
            let logTotal = logf(total)
            for j in 0..<n { o[j &* stride] = (x[j &* stride] - m) - logTotal }
        }
        return differentiable(out, [self], { g in
            [g - out.exp() * g.sum(axes: [axis], keepDims: true)]
        })
    }
}
