/// Copies a tensor into a permuted axis order. Adjacent axes that stay adjacent are merged
/// first, so common cases (matrix transpose, NHWC<->NCHW) become a 2-D or 3-D walk.
enum PermuteKernel {
    static func permute(_ x: UnsafePointer<Float>, shape: [Int], permutation: [Int],
                        into out: UnsafeMutablePointer<Float>) {
        // Merge runs of source axes that appear consecutively in the permutation.
        var groups: [[Int]] = []
        for axis in permutation {
            if let last = groups.last?.last, last + 1 == axis { groups[groups.count - 1].append(axis) }
            else { groups.append([axis]) }
        }
        let order = groups.map { $0[0] }.sorted()
        let mergedShape = order.map { first in groups.first { $0[0] == first }!.reduce(1) { $0 * shape[$1] } }
        let mergedPermutation = groups.map { group in order.firstIndex(of: group[0])! }
        let sourceStrides = ShapeMath.strides(mergedShape)
        let outShape = mergedPermutation.map { mergedShape[$0] }
        let strides = mergedPermutation.map { sourceStrides[$0] }  // source stride per output axis
        let count = ShapeMath.count(outShape)
        if count == 0 { return }
        let rank = outShape.count
        if rank == 1 {
            out.update(from: x, count: count)
            return
        }
        let inner = outShape[rank - 1]
        let innerStride = strides[rank - 1]
        let rows = count / inner
        Parallel.forRanges(rows, threshold: max(1, Parallel.elementwiseThreshold / inner)) { range in
            var index = [Int](repeating: 0, count: rank - 1)
            var remainder = range.lowerBound
            var offset = 0
            var axis = rank - 2
            while axis >= 0 {
                index[axis] = remainder % outShape[axis]
                remainder /= outShape[axis]
                offset &+= index[axis] &* strides[axis]
                axis -= 1
            }
            for row in range {
                let o = out + row &* inner
                let source = x + offset
                for j in 0..<inner { o[j] = source[j &* innerStride] }
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] &+= 1
                    offset &+= strides[axis]
                    if index[axis] < outShape[axis] { break }
                    offset &-= strides[axis] &* outShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
