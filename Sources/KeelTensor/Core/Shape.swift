/// Dimension helpers shared by the ops. Shapes are plain `[Int]`, row-major.
public enum ShapeMath {
    @inlinable
    public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// The element count, trapping (rather than wrapping into a too-small buffer) when the
    /// shape holds more elements than memory could.
    public static func checkedCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            precondition(!overflow && product <= Int.max / 8, "Tensor: shape \(shape) holds more elements than memory can")
            n = product
        }
        return n
    }

    /// Row-major strides in elements.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        var i = shape.count - 1
        while i >= 0 {
            strides[i] = running
            running &*= shape[i]
            i -= 1
        }
        return strides
    }

    /// NumPy broadcasting of two shapes, or nil when they are incompatible.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
        }
        return result
    }

    /// Resolves possibly negative axes against `rank`, trapping with the op's name when out of range.
    public static func normalizedAxes(_ axes: [Int], rank: Int, op: String) -> [Int] {
        var seen = Set<Int>()
        return axes.map { axis in
            let resolved = axis < 0 ? axis + rank : axis
            precondition(resolved >= 0 && resolved < rank,
                         "\(op): axis \(axis) is out of range for a tensor of rank \(rank)")
            precondition(seen.insert(resolved).inserted, "\(op): axis \(axis) is repeated in \(axes)")
            return resolved
        }.sorted()
    }

    public static func normalizedAxis(_ axis: Int, rank: Int, op: String) -> Int {
        normalizedAxes([axis], rank: rank, op: op)[0]
    }
}
