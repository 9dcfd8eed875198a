/// The loops under every elementwise op: flat maps over contiguous buffers, and broadcasting
/// maps that walk the output row by row with a contiguous (or repeated) innermost dimension.
enum ElementwiseKernels {
    @inline(__always)
    static func map<F: UnaryElementFunction>(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int,
                                             _ f: F) {
        Parallel.forRanges(count) { range in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                out[i] = f(x[i])
                i &+= 1
            }
        }
    }

    @inline(__always)
    static func zip<F: BinaryElementFunction>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                              _ out: UnsafeMutablePointer<Float>, count: Int, _ f: F) {
        Parallel.forRanges(count) { range in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                out[i] = f(a[i], b[i])
                i &+= 1
            }
        }
    }

    @inline(__always)
    static func zip3(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                     _ out: UnsafeMutablePointer<Float>, count: Int, _ f: (Float, Float, Float) -> Float) {
        Parallel.forRanges(count) { range in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                out[i] = f(a[i], b[i], c[i])
                i &+= 1
            }
        }
    }

    /// out[index] = f(a[broadcast index], b[broadcast index]) for an output of `shape`, where
    /// `aStrides`/`bStrides` are element strides aligned to the output's rank, 0 on broadcast axes.
    @inline(__always)
    static func broadcastZip<F: BinaryElementFunction>(_ a: UnsafePointer<Float>, aStrides: [Int],
                                                       _ b: UnsafePointer<Float>, bStrides: [Int],
                                                       _ out: UnsafeMutablePointer<Float>, shape: [Int], _ f: F) {
        let rank = shape.count
        let inner = rank == 0 ? 1 : shape[rank - 1]
        let sa = rank == 0 ? 0 : aStrides[rank - 1]
        let sb = rank == 0 ? 0 : bStrides[rank - 1]
        let rows = inner == 0 ? 0 : ShapeMath.count(shape) / inner
        Parallel.forRanges(rows, threshold: max(1, Parallel.elementwiseThreshold / max(inner, 1))) { range in
            // Offsets of the first row of the range, from its multi-index.
            var index = [Int](repeating: 0, count: max(rank - 1, 0))
            var remainder = range.lowerBound
            var aOffset = 0, bOffset = 0
            var axis = rank - 2
            while axis >= 0 {
                index[axis] = remainder % shape[axis]
                remainder /= shape[axis]
                aOffset &+= index[axis] &* aStrides[axis]
                bOffset &+= index[axis] &* bStrides[axis]
                axis -= 1
            }
            for row in range {
                let o = out + row &* inner
                let pa = a + aOffset, pb = b + bOffset
                switch (sa, sb) {
                case (1, 1): for j in 0..<inner { o[j] = f(pa[j], pb[j]) }
                case (1, 0): let vb = pb[0]; for j in 0..<inner { o[j] = f(pa[j], vb) }
                case (0, 1): let va = pa[0]; for j in 0..<inner { o[j] = f(va, pb[j]) }
                default: let v = f(pa[0], pb[0]); for j in 0..<inner { o[j] = v }
                }
                // Advance the multi-index of the outer axes by one row.
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] &+= 1
                    aOffset &+= aStrides[axis]
                    bOffset &+= bStrides[axis]
                    if index[axis] < shape[axis] { break }
                    aOffset &-= aStrides[axis] &* shape[axis]
                    bOffset &-= bStrides[axis] &* shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }

    /// Strides of `shape` aligned to an output of rank `rank`, 0 on axes that broadcast.
    static func broadcastStrides(_ shape: [Int], to output: [Int]) -> [Int] {
        let strides = ShapeMath.strides(shape)
        let offset = output.count - shape.count
        return (0..<output.count).map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : strides[axis - offset]
        }
    }
}
