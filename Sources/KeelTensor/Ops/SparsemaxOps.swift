/// Keras's `sparsemax`: max(x − τ, 0) along an axis, τ chosen from the values sorted in
/// descending order. Keras 3.15 (every backend) computes τ as (Σ_{j≤k} cumsum_j − 1) / k over
/// the k values in the support, not the paper's (cumsum_k − 1) / k, so its outputs need not sum
/// to one; Keel reproduces Keras's formula, and its gradient as JAX derives it.
extension Tensor {
    public func sparsemax(axis: Int = -1) -> Tensor {
        opCheck(dtype == .float32, "sparsemax: expected a float32 tensor, found \(dtype) \(shape)")
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "sparsemax")
        let length = shape[a], inner = shape[(a + 1)...].reduce(1, *), outer = shape[..<a].reduce(1, *)
        let out = Tensor(uninitializedShape: shape)
        // d output / d input = mask · (identity − 1 ⊗ tauSlope), per lane: the mask is 1 where
        // x > τ (½ at a tie, as JAX's maximum splits it), tauSlope is dτ/dx.
        let mask = Tensor(uninitializedShape: shape), tauSlope = Tensor(uninitializedShape: shape)
        let x = UnsafePointer(storage.floats), o = out.storage.floats
        let m = mask.storage.floats, c = tauSlope.storage.floats
        var order = [Int](repeating: 0, count: length)
        var inSupport = [Bool](repeating: false, count: length)
        for lane in 0..<(outer &* inner) {
            let start = (lane / inner) &* length &* inner &+ lane % inner
            @inline(__always) func at(_ j: Int) -> Int { start &+ j &* inner }
            for j in 0..<length { order[j] = j }
            // Descending, ties in their original order (a stable sort of −x, as Keras sorts).
            // NaNs go last so the order stays a strict weak one.
            order.sort { i, j in
                let u = x[at(i)], v = x[at(j)]
                if u.isNaN || v.isNaN { return u.isNaN == v.isNaN ? i < j : v.isNaN }
                return u != v ? u > v : i < j
            }
            var cumsum: Float = 0, cumsumTotal: Float = 0
            var support = 0
            for (r, j) in order.enumerated() {
                cumsum += x[at(j)]
                inSupport[r] = x[at(j)] - (cumsum - 1) / Float(r + 1) > 0
                if inSupport[r] {
                    support += 1
                    cumsumTotal += cumsum
                }
            }
            // k = 0 only in a lane of NaNs, where Keras divides by zero too.
            let k = Float(support)
            let tau = (cumsumTotal - 1) / k
            // The r-th sorted value enters every cumsum from the r-th on, so dτ/dx is the
            // number of support positions at or after r, over k.
            var supportFromHere = 0
            for r in stride(from: length - 1, through: 0, by: -1) {
                if inSupport[r] { supportFromHere += 1 }
                c[at(order[r])] = Float(supportFromHere) / k
            }
            for j in 0..<length {
                let d = x[at(j)] - tau
                o[at(j)] = Swift.max(d, 0)
                m[at(j)] = d > 0 ? 1 : (d == 0 ? 0.5 : 0)
            }
        }
        let slope = tauSlope
        return differentiable(out, [self], { g in
            let kept = g * mask
            return [kept - kept.sum(axes: [a], keepDims: true) * slope]
        })
    }
}
