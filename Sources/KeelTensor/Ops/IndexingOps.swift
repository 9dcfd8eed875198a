/// Slicing, padding, gathering, one-hot encoding and tiling.
extension Tensor {
    var words: UnsafeMutablePointer<UInt32> { storage.pointer.assumingMemoryBound(to: UInt32.self) }

    /// The block starting at `begin` with extent `size` (-1 means "to the end").
    public func slice(begin: [Int], size: [Int]) -> Tensor {
        precondition(begin.count == rank && size.count == rank,
                     "slice: begin \(begin) and size \(size) must have one entry per axis of shape \(shape)")
        let extent = size.enumerated().map { $0.element == -1 ? shape[$0.offset] - begin[$0.offset] : $0.element }
        for axis in 0..<rank {
            precondition(begin[axis] >= 0 && extent[axis] >= 0 && begin[axis] + extent[axis] <= shape[axis],
                         "slice: begin \(begin) size \(size) is outside shape \(shape)")
        }
        let out = Tensor(uninitializedShape: extent, dtype: dtype)
        BoxCopyKernel.copy(from: words, shape: shape, at: begin, to: out.words, shape: extent,
                           at: [Int](repeating: 0, count: rank), extent: extent)
        let inputShape = shape
        return differentiable(out, [self], { g in
            [g.padded(zip(begin, extent).enumerated().map { axis, pair in
                (pair.0, inputShape[axis] - pair.0 - pair.1)
            })]
        })
    }

    /// Pads each axis with `paddings[axis] = (before, after)` copies of `value`.
    public func padded(_ paddings: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        precondition(paddings.count == rank && paddings.allSatisfy { $0.before >= 0 && $0.after >= 0 },
                     "pad: expected \(rank) non-negative (before, after) pairs, found \(paddings)")
        let outShape = shape.indices.map { shape[$0] + paddings[$0].before + paddings[$0].after }
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        if dtype == .float32 {
            out.storage.floats.update(repeating: value, count: out.count)
        } else {
            out.storage.int32s.update(repeating: Int32(value), count: out.count)
        }
        let begin = paddings.map(\.before)
        BoxCopyKernel.copy(from: words, shape: shape, at: [Int](repeating: 0, count: rank),
                           to: out.words, shape: outShape, at: begin, extent: shape)
        let extent = shape
        return differentiable(out, [self], { g in [g.slice(begin: begin, size: extent)] })
    }

    /// Slices of `self` along `axis` picked by int32 `indices`; the result's shape is
    /// shape[..<axis] + indices.shape + shape[(axis+1)...].
    public func gathering(_ indices: Tensor, axis: Int = 0) -> Tensor {
        precondition(indices.dtype == .int32, "gather: indices must be int32, found \(indices.dtype)")
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "gather")
        let outer = shape[..<a].reduce(1, *), length = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        let outShape = Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...])
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let n = indices.count
        let idx = indices.storage.int32s, src = words, dst = out.words
        for o in 0..<outer {
            for j in 0..<n {
                let i = Int(idx[j])
                precondition(i >= 0 && i < length, "gather: index \(i) is out of range 0..<\(length) (axis \(axis) of shape \(shape))")
                (dst + (o &* n &+ j) &* inner).update(from: src + (o &* length &+ i) &* inner, count: inner)
            }
        }
        let inputShape = shape
        return differentiable(out, [self], { g in
            [Tensor.scatterAdding(g, indices: indices, axis: a, shape: inputShape)]
        })
    }

    /// The gradient of `gathering`: rows of `updates` added into zeros of `shape` at `indices`.
    static func scatterAdding(_ updates: Tensor, indices: Tensor, axis a: Int, shape: [Int]) -> Tensor {
        let outer = shape[..<a].reduce(1, *), length = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        let out = Tensor.zeros(shape)
        let n = indices.count
        let idx = indices.storage.int32s, src = updates.storage.floats, dst = out.storage.floats
        for o in 0..<outer {
            for j in 0..<n {
                let row = dst + (o &* length &+ Int(idx[j])) &* inner
                let from = src + (o &* n &+ j) &* inner
                for k in 0..<inner { row[k] += from[k] }
            }
        }
        return differentiable(out, [updates], { g in [g.gathering(indices, axis: a)] })
    }

    /// One-hot encoding of int32 class ids along a new last axis; out-of-range ids give all zeros
    /// (as TensorFlow's one_hot).
    public func oneHot(depth: Int, on: Float = 1, off: Float = 0) -> Tensor {
        precondition(dtype == .int32, "one_hot: expected int32 class ids, found \(dtype)")
        let out = Tensor(repeating: off, shape: shape + [depth])
        let ids = storage.int32s, o = out.storage.floats
        for i in 0..<count {
            let c = Int(ids[i])
            if c >= 0 && c < depth { o[i &* depth &+ c] = on }
        }
        return out
    }

    /// The tensor repeated `multiples[axis]` times along each axis.
    public func tiled(_ multiples: [Int]) -> Tensor {
        precondition(multiples.count == rank && multiples.allSatisfy { $0 >= 0 },
                     "tile: expected \(rank) non-negative multiples, found \(multiples)")
        // Broadcast a [1, s0, 1, s1, ...] view to [m0, s0, m1, s1, ...], then merge pairs.
        let interleaved = shape.flatMap { [1, $0] }
        let target = zip(multiples, shape).flatMap { [$0, $1] }
        return reshaped(interleaved).broadcasted(to: target).reshaped(zip(multiples, shape).map { $0 * $1 })
    }
}
