/// Slicing, padding, gathering, one-hot encoding and tiling.
extension Tensor {
    var words: UnsafeMutablePointer<UInt32> { storage.pointer.assumingMemoryBound(to: UInt32.self) }

    /// The block starting at `begin` with extent `size` (-1 means "to the end").
    public func slice(begin: [Int], size: [Int]) -> Tensor {
        let extent: [Int]
        switch Tensor.sliceExtent(shape: shape, begin: begin, size: size) {
        case .success(let e): extent = e
        case .failure(let problem): OpCheck.fail("slice: begin \(begin) size \(size) does not fit shape \(shape): \(problem)")
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

    /// The extent of the block `slice(begin:size:)` copies, or why it is not inside `shape`.
    static func sliceExtent(shape: [Int], begin: [Int], size: [Int]) -> Result<[Int], ShapeProblem> {
        guard begin.count == shape.count && size.count == shape.count else {
            return .failure(ShapeProblem("expected one begin and one size per axis (\(shape.count))"))
        }
        var extent = size
        for axis in shape.indices {
            let (b, d) = (begin[axis], shape[axis])
            guard b >= 0 && b <= d else { return .failure(ShapeProblem("begin \(b) is outside axis \(axis) of size \(d)")) }
            if size[axis] == -1 { extent[axis] = d - b }
            guard extent[axis] >= 0 && extent[axis] <= d - b else {
                return .failure(ShapeProblem("size \(size[axis]) from \(b) is outside axis \(axis) of size \(d)"))
            }
        }
        return .success(extent)
    }

    /// The shape `padded` makes, or why there is none.
    static func paddedShape(_ shape: [Int], _ paddings: [(before: Int, after: Int)]) -> Result<[Int], ShapeProblem> {
        guard paddings.count == shape.count else {
            return .failure(ShapeProblem("expected \(shape.count) (before, after) pairs, found \(paddings.count)"))
        }
        var result = shape
        for (axis, pad) in paddings.enumerated() {
            guard pad.before >= 0 && pad.after >= 0 else {
                return .failure(ShapeProblem("the padding (\(pad.before), \(pad.after)) of axis \(axis) is negative"))
            }
            guard let total = ShapeMath.sum([shape[axis], pad.before, pad.after]) else {
                return .failure(ShapeProblem("axis \(axis) padded by (\(pad.before), \(pad.after)) is too large"))
            }
            result[axis] = total
        }
        if let problem = ShapeMath.problem(with: result) { return .failure(ShapeProblem(problem)) }
        return .success(result)
    }

    /// Pads each axis with `paddings[axis] = (before, after)` copies of `value`.
    public func padded(_ paddings: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        let outShape: [Int]
        switch Tensor.paddedShape(shape, paddings) {
        case .success(let padded): outShape = padded
        case .failure(let problem): OpCheck.fail("pad: cannot pad shape \(shape) by \(paddings.map { [$0.before, $0.after] }): \(problem)")
        }
        opCheck(dtype == .float32 || Int32(exactly: value) != nil,
                "pad: the value \(value) is not an int32, as padding the int32 tensor \(shape) needs")
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        if dtype == .float32 {
            out.storage.floats.update(repeating: value, count: out.count)
        } else {
            out.storage.int32s.update(repeating: Int32(exactly: value) ?? 0, count: out.count)
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
        opCheck(indices.dtype == .int32, "gather: indices must be int32, found \(indices.dtype) \(indices.shape) (gathering from \(shape))")
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "gather")
        let outer = shape[..<a].reduce(1, *), length = shape[a], inner = shape[(a + 1)...].reduce(1, *)
        let outShape = Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...])
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let n = indices.count
        let idx = indices.storage.int32s, src = words, dst = out.words
        // One pass over the indices, not one check per copy: the copy loop stays unchecked.
        if let bad = (0..<n).first(where: { idx[$0] < 0 || Int(idx[$0]) >= length }) {
            OpCheck.fail("gather: index \(idx[bad]) (at \(bad) of indices \(indices.shape)) is out of range 0..<\(length) for axis \(axis) of shape \(shape)")
        }
        for o in 0..<outer {
            for j in 0..<n {
                let i = Int(idx[j])
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
        opCheck(dtype == .int32, "one_hot: expected int32 class ids, found \(dtype) \(shape)")
        opCheck(depth >= 0 && ShapeMath.problem(with: shape + [depth]) == nil,
                "one_hot: depth \(depth) for ids of shape \(shape) is negative or too large")
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
        opCheck(multiples.count == rank && multiples.allSatisfy { $0 >= 0 },
                "tile: expected \(rank) non-negative multiples, found \(multiples)")
        // Broadcast a [1, s0, 1, s1, ...] view to [m0, s0, m1, s1, ...], then merge pairs.
        let interleaved = shape.flatMap { [1, $0] }
        let target = zip(multiples, shape).flatMap { [$0, $1] }
        opCheck(ShapeMath.problem(with: target) == nil, "tile: \(shape) repeated \(multiples) times holds more elements than memory can")
        return reshaped(interleaved).broadcasted(to: target).reshaped(zip(multiples, shape).map { $0 * $1 })
    }
}
