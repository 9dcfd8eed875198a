@testable import KeelTensor

/// Naive reference implementations over plain `[Float]`, written from the NumPy/Keras
/// definitions with explicit multi-indices and no shared code with KeelTensor's kernels, so a
/// kernel bug cannot hide in both.
struct RefArray {
    var shape: [Int]
    var values: [Float]

    init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "RefArray: \(values.count) values for \(shape)")
        self.shape = shape
        self.values = values
    }

    init(_ tensor: Tensor) { self.init(shape: tensor.shape, values: tensor.scalars) }

    var count: Int { values.count }
    var tensor: Tensor { Tensor(shape: shape, scalars: values) }

    subscript(index: [Int]) -> Float {
        get { values[Ref.flatIndex(index, shape)] }
        set { values[Ref.flatIndex(index, shape)] = newValue }
    }
}

enum Ref {
    static func flatIndex(_ index: [Int], _ shape: [Int]) -> Int {
        var flat = 0
        for (i, d) in zip(index, shape) { flat = flat * d + i }
        return flat
    }

    static func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// Every multi-index of `shape` in row-major order.
    static func indices(_ shape: [Int]) -> [[Int]] {
        (0..<shape.reduce(1, *)).map { multiIndex($0, shape) }
    }

    // MARK: Elementwise

    /// NumPy broadcasting: align from the right; a size-1 (or missing) axis repeats.
    static func broadcast(_ a: RefArray, _ b: RefArray, _ f: (Float, Float) -> Float) -> RefArray {
        let rank = max(a.shape.count, b.shape.count)
        let pa = [Int](repeating: 1, count: rank - a.shape.count) + a.shape
        let pb = [Int](repeating: 1, count: rank - b.shape.count) + b.shape
        let shape = zip(pa, pb).map { max($0, $1) }
        var out = RefArray(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
        for index in indices(shape) {
            let ia = zip(index, pa).map { $1 == 1 ? 0 : $0 }
            let ib = zip(index, pb).map { $1 == 1 ? 0 : $0 }
            out[index] = f(a.values[flatIndex(ia, pa)], b.values[flatIndex(ib, pb)])
        }
        return out
    }

    // MARK: Reductions

    /// Groups the elements by their index on the kept axes and folds each group with `fold`.
    static func reduce(_ x: RefArray, axes: [Int], keepDims: Bool, _ fold: ([Float]) -> Float) -> RefArray {
        let keptShape = x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] }
        var groups = [[Float]](repeating: [], count: keptShape.reduce(1, *))
        for index in indices(x.shape) {
            let kept = index.indices.map { axes.contains($0) ? 0 : index[$0] }
            groups[flatIndex(kept, keptShape)].append(x[index])
        }
        let shape = keepDims ? keptShape : x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] }
        return RefArray(shape: shape, values: groups.map(fold))
    }

    /// Index of the first extreme value along `axis`, as Float.
    static func argExtremum(_ x: RefArray, axis: Int, greater: Bool) -> RefArray {
        var shape = x.shape
        shape.remove(at: axis)
        var out = [Float]()
        for outIndex in indices(shape) {
            var best = 0
            for j in 0..<x.shape[axis] {
                var index = outIndex
                index.insert(j, at: axis)
                var bestIndex = outIndex
                bestIndex.insert(best, at: axis)
                if greater ? x[index] > x[bestIndex] : x[index] < x[bestIndex] { best = j }
            }
            out.append(Float(best))
        }
        return RefArray(shape: shape, values: out)
    }

    // MARK: Layout

    /// Output axis i is input axis permutation[i].
    static func transpose(_ x: RefArray, _ permutation: [Int]) -> RefArray {
        let shape = permutation.map { x.shape[$0] }
        var out = RefArray(shape: shape, values: [Float](repeating: 0, count: x.count))
        for index in indices(x.shape) {
            out[permutation.map { index[$0] }] = x[index]
        }
        return out
    }

    /// Batched C = op(A)·op(B) by the triple loop; leading axes are batch axes of equal size.
    static func matmul(_ a: RefArray, _ b: RefArray, transposeA: Bool = false, transposeB: Bool = false) -> RefArray {
        let batchShape = Array(a.shape.dropLast(2))
        let (ar, ac) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
        let (br, bc) = (b.shape[b.shape.count - 2], b.shape[b.shape.count - 1])
        let m = transposeA ? ac : ar, k = transposeA ? ar : ac, n = transposeB ? br : bc
        let batch = batchShape.reduce(1, *)
        var out = [Float]()
        for p in 0..<batch {
            for i in 0..<m {
                for j in 0..<n {
                    var total: Double = 0
                    for l in 0..<k {
                        let av = transposeA ? a.values[p * ar * ac + l * ac + i] : a.values[p * ar * ac + i * ac + l]
                        let bv = transposeB ? b.values[p * br * bc + j * bc + l] : b.values[p * br * bc + l * bc + j]
                        total += Double(av) * Double(bv)
                    }
                    out.append(Float(total))
                }
            }
        }
        return RefArray(shape: batchShape + [m, n], values: out)
    }

    static func concatenate(_ parts: [RefArray], axis: Int) -> RefArray {
        var shape = parts[0].shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        var out = RefArray(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
        var offset = 0
        for part in parts {
            for index in indices(part.shape) {
                var target = index
                target[axis] += offset
                out[target] = part[index]
            }
            offset += part.shape[axis]
        }
        return out
    }

    static func slice(_ x: RefArray, begin: [Int], size: [Int]) -> RefArray {
        var out = RefArray(shape: size, values: [Float](repeating: 0, count: size.reduce(1, *)))
        for index in indices(size) {
            out[index] = x[zip(index, begin).map { $0 + $1 }]
        }
        return out
    }

    static func pad(_ x: RefArray, _ paddings: [(Int, Int)], value: Float) -> RefArray {
        let shape = x.shape.indices.map { x.shape[$0] + paddings[$0].0 + paddings[$0].1 }
        var out = RefArray(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
        for index in indices(x.shape) {
            out[zip(index, paddings).map { $0 + $1.0 }] = x[index]
        }
        return out
    }

    /// out[pre, j..., post] = x[pre, indices[j...], post].
    static func gather(_ x: RefArray, indices gatherIndices: [Int], indexShape: [Int], axis: Int) -> RefArray {
        let shape = Array(x.shape[..<axis]) + indexShape + Array(x.shape[(axis + 1)...])
        var out = RefArray(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
        for index in indices(shape) {
            let pre = Array(index[..<axis])
            let picked = Array(index[axis..<(axis + indexShape.count)])
            let post = Array(index[(axis + indexShape.count)...])
            out[index] = x[pre + [gatherIndices[flatIndex(picked, indexShape)]] + post]
        }
        return out
    }

    static func tile(_ x: RefArray, _ multiples: [Int]) -> RefArray {
        let shape = zip(x.shape, multiples).map { $0 * $1 }
        var out = RefArray(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
        for index in indices(shape) {
            out[index] = x[zip(index, x.shape).map { $0 % $1 }]
        }
        return out
    }
}
