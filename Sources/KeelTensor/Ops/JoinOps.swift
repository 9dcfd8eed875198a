/// Joining and splitting along an axis. Each tensor is seen as [outer, length, inner]; the
/// copies move whole `length·inner` blocks.
extension Tensor {
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        opCheck(!tensors.isEmpty, "concatenate: no tensors given")
        let first = tensors[0]
        let a = ShapeMath.normalizedAxis(axis, rank: first.rank, op: "concatenate")
        for t in tensors {
            opCheck(t.rank == first.rank && t.shape.indices.allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                    "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
            opCheck(t.dtype == first.dtype, "concatenate: dtypes \(tensors.map(\.dtype)) differ (shapes \(tensors.map(\.shape)))")
        }
        var outShape = first.shape
        let total = ShapeMath.sum(tensors.map { $0.shape[a] })
        opCheck(total != nil, "concatenate: the shapes \(tensors.map(\.shape)) joined on axis \(axis) are too large")
        outShape[a] = total ?? 0
        let out = Tensor(uninitializedShape: outShape, dtype: first.dtype)
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let outRow = outShape[a] &* inner
        var offset = 0
        for t in tensors {
            let block = t.shape[a] &* inner
            let src = t.storage.pointer.assumingMemoryBound(to: UInt32.self)
            let dst = out.storage.pointer.assumingMemoryBound(to: UInt32.self)
            for o in 0..<outer {
                (dst + (o &* outRow &+ offset)).update(from: src + o &* block, count: block)
            }
            offset &+= block
        }
        let sizes = tensors.map { $0.shape[a] }
        return differentiable(out, tensors, { g in g.split(sizes: sizes, axis: a).map { Optional($0) } })
    }

    /// Pieces of the given sizes along `axis`.
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "split")
        opCheck(sizes.allSatisfy { $0 >= 0 } && ShapeMath.sum(sizes) == shape[a],
                "split: sizes \(sizes) do not add up to \(shape[a]) (axis \(axis) of shape \(shape))")
        var begin = [Int](repeating: 0, count: rank)
        return sizes.map { size in
            var extent = shape
            extent[a] = size
            defer { begin[a] += size }
            return slice(begin: begin, size: extent)
        }
    }

    /// `count` equal pieces along `axis`.
    public func split(count pieces: Int, axis: Int) -> [Tensor] {
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "split")
        opCheck(pieces > 0 && shape[a] % pieces == 0,
                "split: axis \(axis) of shape \(shape) does not divide into \(pieces) equal pieces")
        return split(sizes: Array(repeating: shape[a] / pieces, count: pieces), axis: a)
    }

    /// Tensors of equal shape joined along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        opCheck(!tensors.isEmpty, "stack: no tensors given")
        let shape = tensors[0].shape
        opCheck(tensors.allSatisfy { $0.shape == shape }, "stack: shapes differ: \(tensors.map(\.shape))")
        let a = axis < 0 ? axis + shape.count + 1 : axis
        opCheck(a >= 0 && a <= shape.count, "stack: axis \(axis) is out of range for rank \(shape.count + 1)")
        return concatenate(tensors.map { $0.expandingDims(at: a) }, axis: a)
    }

    /// Tensors of the pieces along `axis`, that axis removed.
    public func unstacked(axis: Int = 0) -> [Tensor] {
        let a = ShapeMath.normalizedAxis(axis, rank: rank, op: "unstack")
        if shape[a] == 0 { return [] }
        return split(count: shape[a], axis: a).map { $0.squeezed(axes: [a]) }
    }
}
