/// Reductions over a contiguous block of axes: the tensor is seen as [outer, reduced, inner]
/// and each (outer, inner) pair folds its `reduced` values.
enum ReductionKind {
    case sum, max, min, product

    var identity: Float {
        switch self {
        case .sum: return 0
        case .product: return 1
        case .max: return -.infinity
        case .min: return .infinity
        }
    }

    @inline(__always)
    func combine(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .sum: return a + b
        case .product: return a * b
        case .max: return a > b || a.isNaN ? a : b  // NaN propagates
        case .min: return a < b || a.isNaN ? a : b
        }
    }
}

enum ReductionKernels {
    static func reduce(_ kind: ReductionKind, _ x: UnsafePointer<Float>, outer: Int, reduced: Int, inner: Int,
                       into out: UnsafeMutablePointer<Float>) {
        if inner == 1 {
            Parallel.forRanges(outer, threshold: max(1, Parallel.elementwiseThreshold / max(reduced, 1))) { range in
                for o in range { out[o] = reduceContiguous(kind, x + o &* reduced, count: reduced) }
            }
            return
        }
        Parallel.forRanges(outer &* inner, threshold: Parallel.elementwiseThreshold) { range in
            // Split by outer rows when possible; otherwise by whole rows of inner within one outer.
            var position = range.lowerBound
            while position < range.upperBound {
                let o = position / inner
                let start = position % inner
                let end = Swift.min(inner, start + (range.upperBound - position))
                let acc = out + o &* inner
                for i in start..<end { acc[i] = kind.identity }
                let base = x + o &* reduced &* inner
                for r in 0..<reduced {
                    let row = base + r &* inner
                    switch kind {
                    case .sum: for i in start..<end { acc[i] += row[i] }
                    case .product: for i in start..<end { acc[i] *= row[i] }
                    case .max: for i in start..<end { acc[i] = kind.combine(acc[i], row[i]) }
                    case .min: for i in start..<end { acc[i] = kind.combine(acc[i], row[i]) }
                    }
                }
                position &+= end - start
            }
        }
    }

    /// Folds `count` contiguous values with SIMD accumulators.
    @inline(__always)
    static func reduceContiguous(_ kind: ReductionKind, _ x: UnsafePointer<Float>, count: Int) -> Float {
        switch kind {
        case .sum: return sum(x, count: count)
        default:
            var acc = kind.identity
            for i in 0..<count { acc = kind.combine(acc, x[i]) }
            return acc
        }
    }

    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i &+ 32 <= count {
            a0 += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            a1 += raw.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
            i &+= 32
        }
        var total = (a0 + a1).sum()
        while i < count {
            total += x[i]
            i &+= 1
        }
        return total
    }
}
