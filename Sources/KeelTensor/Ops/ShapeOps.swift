/// Ops that change only the shape or the axis order.
extension Tensor {
    /// The same elements in a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved: [Int]
        switch ShapeMath.reshapeTarget(count: count, to: newShape) {
        case .success(let target): resolved = target
        case .failure(let problem): OpCheck.fail("reshape: cannot reshape \(shape) (\(count) elements) to \(newShape): \(problem)")
        }
        let x = self
        let out = Tensor(sharing: storage, shape: resolved, dtype: dtype)
        return differentiable(out, [x], { g in [g.reshaped(x.shape)] })
    }

    public func flattened() -> Tensor { reshaped([count]) }

    /// Axes reordered: output axis i is input axis `permutation[i]`.
    public func transposed(_ permutation: [Int]) -> Tensor {
        opCheck(permutation.sorted() == Array(0..<rank),
                "transpose: \(permutation) is not a permutation of the axes of a rank-\(rank) tensor")
        if permutation == Array(0..<rank) { return self }
        let out = Tensor(uninitializedShape: permutation.map { shape[$0] }, dtype: dtype)
        PermuteKernel.permute(UnsafePointer(storage.floats), shape: shape, permutation: permutation,
                              into: out.storage.floats)  // Int32 moves as the same 4-byte pattern
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return differentiable(out, [self], { g in [g.transposed(inverse)] })
    }

    /// Swaps the last two axes.
    public func transposed() -> Tensor {
        opCheck(rank >= 2, "transpose: expected rank ≥ 2, found shape \(shape)")
        var permutation = Array(0..<rank)
        permutation.swapAt(rank - 1, rank - 2)
        return transposed(permutation)
    }

    public func expandingDims(at axis: Int) -> Tensor {
        let resolved = axis < 0 ? axis + rank + 1 : axis
        opCheck(resolved >= 0 && resolved <= rank, "expand_dims: axis \(axis) is out of range for shape \(shape)")
        var newShape = shape
        newShape.insert(1, at: resolved)
        return reshaped(newShape)
    }

    /// Removes the given axes of size 1 (all of them when `axes` is nil).
    public func squeezed(axes: [Int]? = nil) -> Tensor {
        let remove = axes.map { ShapeMath.normalizedAxes($0, rank: rank, op: "squeeze") }
            ?? shape.indices.filter { shape[$0] == 1 }
        for axis in remove {
            opCheck(shape[axis] == 1, "squeeze: axis \(axis) of shape \(shape) has size \(shape[axis]), not 1")
        }
        return reshaped(shape.indices.filter { !remove.contains($0) }.map { shape[$0] })
    }

    /// The tensor repeated along broadcast axes to `target` (NumPy rules).
    public func broadcasted(to target: [Int]) -> Tensor {
        if shape == target { return self }
        opCheck(ShapeMath.broadcast(shape, target) == target,
                "broadcast_to: shape \(shape) cannot be broadcast to \(target)")
        let x = self
        // Int32 tensors broadcast too: the kernel copies 4-byte patterns without arithmetic.
        let out = Tensor(uninitializedShape: target, dtype: dtype)
        if out.count > 0 {
            let strides = ElementwiseKernels.broadcastStrides(x.shape, to: target)
            ElementwiseKernels.broadcastZip(x.storage.floats, aStrides: strides, x.storage.floats, bStrides: strides,
                                            out.storage.floats, shape: target, FirstFunction())
        }
        return differentiable(out, [x], { g in [g.summed(toShape: x.shape)] })
    }
}
