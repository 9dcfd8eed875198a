/// Reductions over any set of axes, with `keepDims`. `axes: nil` reduces every axis.
extension Tensor {
    /// Runs `kind` over `axes`: contiguous axes reduce in place; others are first moved to the
    /// end by a transpose.
    func reduce(_ kind: ReductionKind, axes: [Int]?, keepDims: Bool, op: String) -> Tensor {
        opCheck(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype) \(shape)")
        let reduced = axes.map { ShapeMath.normalizedAxes($0, rank: rank, op: op) } ?? Array(0..<rank)
        let keptShape = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
        let outShape = keepDims ? keptShape : shape.indices.filter { !reduced.contains($0) }.map { shape[$0] }
        let out = Tensor(uninitializedShape: outShape)
        if reduced.isEmpty {
            out.storage.floats.update(from: storage.floats, count: count)
            return out
        }
        let contiguous = reduced.last! - reduced.first! + 1 == reduced.count
        var source = self
        var first = reduced.first!, last = reduced.last!
        if !contiguous {
            let kept = shape.indices.filter { !reduced.contains($0) }
            source = Tensor(uninitializedShape: (kept + reduced).map { shape[$0] })
            PermuteKernel.permute(storage.floats, shape: shape, permutation: kept + reduced,
                                  into: source.storage.floats)
            first = kept.count
            last = rank - 1
        }
        let s = source.shape
        let outer = s[..<first].reduce(1, *)
        let inner = s[(last + 1)...].reduce(1, *)
        let length = s[first...last].reduce(1, *)
        ReductionKernels.reduce(kind, source.storage.floats, outer: outer, reduced: length, inner: inner,
                                into: out.storage.floats)
        return out
    }

    private func reducedShapeWithKeptDims(_ axes: [Int]?, op: String) -> [Int] {
        let reduced = axes.map { ShapeMath.normalizedAxes($0, rank: rank, op: op) } ?? Array(0..<rank)
        return shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
    }

    private func reducedCount(_ axes: [Int]?, op: String) -> Int {
        count / Swift.max(1, ShapeMath.count(reducedShapeWithKeptDims(axes, op: op)))
    }

    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let x = self
        let kept = reducedShapeWithKeptDims(axes, op: "sum")
        return differentiable(reduce(.sum, axes: axes, keepDims: keepDims, op: "sum"), [x], { g in
            [g.reshaped(kept).broadcasted(to: x.shape)]
        })
    }

    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let n = reducedCount(axes, op: "mean")
        return sum(axes: axes, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Maximum; the gradient is shared equally among tied maxima (as TensorFlow does).
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        extremum(.max, axes: axes, keepDims: keepDims, op: "max")
    }

    public func min(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        extremum(.min, axes: axes, keepDims: keepDims, op: "min")
    }

    public func max(axis: Int, keepDims: Bool = false) -> Tensor { max(axes: [axis], keepDims: keepDims) }
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { min(axes: [axis], keepDims: keepDims) }

    private func extremum(_ kind: ReductionKind, axes: [Int]?, keepDims: Bool, op: String) -> Tensor {
        let x = self
        let kept = reducedShapeWithKeptDims(axes, op: op)
        let y = reduce(kind, axes: axes, keepDims: keepDims, op: op)
        return differentiable(y, [x], { g in
            let mask = Tensor.zipFloats(x, y.reshaped(kept), op) { $0 == $1 ? 1 : 0 }
            let ties = mask.reduce(.sum, axes: axes, keepDims: true, op: op)
            return [mask / ties * g.reshaped(kept)]
        })
    }

    /// Product; the gradient is y/x, so it is defined where x ≠ 0.
    public func product(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let x = self
        let kept = reducedShapeWithKeptDims(axes, op: "prod")
        let y = reduce(.product, axes: axes, keepDims: keepDims, op: "prod")
        return differentiable(y, [x], { g in [g.reshaped(kept) * y.reshaped(kept) / x] })
    }

    /// Population variance (divides by N), as Keras's `ops.var`.
    public func variance(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let centered = self - mean(axes: axes, keepDims: true)
        return centered.squared().mean(axes: axes, keepDims: keepDims)
    }

    /// log(sum(exp(x))) computed stably (the maximum is subtracted first).
    public func logSumExp(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let shift = stopGradient(max(axes: axes, keepDims: true))
        let finiteShift = shift.mapFloats("logsumexp") { $0.isFinite ? $0 : 0 }
        let result = (self - finiteShift).exp().sum(axes: axes, keepDims: true).log() + finiteShift
        return keepDims ? result : result.reshaped(
            shape.indices.filter { !(axes.map { ShapeMath.normalizedAxes($0, rank: rank, op: "logsumexp") } ?? Array(0..<rank)).contains($0) }.map { shape[$0] })
    }

    /// Index of the largest value along `axis` (the first one on ties), as Int32.
    public func argmax(axis: Int = -1) -> Tensor { argExtremum(axis: axis, greater: true) }
    public func argmin(axis: Int = -1) -> Tensor { argExtremum(axis: axis, greater: false) }

    private func argExtremum(axis: Int, greater: Bool) -> Tensor {
        opCheck(dtype == .float32, "\(greater ? "argmax" : "argmin"): expected a float32 tensor, found \(dtype) \(shape)")
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: greater ? "argmax" : "argmin")
        let outer = shape[..<a].reduce(1, *), length = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        opCheck(length > 0, "\(greater ? "argmax" : "argmin"): axis \(axis) of shape \(shape) is empty")
        opCheck(length <= Int(Int32.max), "\(greater ? "argmax" : "argmin"): axis \(axis) of shape \(shape) is longer than int32 indices reach")
        var outShape = shape
        outShape.remove(at: a)
        let out = Tensor(uninitializedShape: outShape, dtype: .int32)
        let x = storage.floats, o = out.storage.int32s
        for i in 0..<outer {
            for k in 0..<inner {
                var best = x[i &* length &* inner &+ k]
                var bestIndex = 0
                for j in 1..<Swift.max(length, 1) {
                    let v = x[(i &* length &+ j) &* inner &+ k]
                    if greater ? (v > best) : (v < best) { best = v; bestIndex = j }
                }
                o[i &* inner &+ k] = Int32(bestIndex)
            }
        }
        return out
    }
}
