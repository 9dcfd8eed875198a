/// Dimension helpers shared by the ops. Shapes are plain `[Int]`, row-major.
public enum ShapeMath {
    @inlinable
    public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// The most elements a tensor may hold (2^45: 128 TB of Float32, the buffer pool's largest
    /// size class). Bounding the product of the NONZERO dimensions, not just the element count,
    /// means no product of any subset of a tensor's dimensions can overflow — ops compute outer
    /// and inner block sizes with unchecked arithmetic.
    public static let maximumElementCount = 1 << 45

    /// Why `shape` cannot be a tensor's shape (a negative dimension, or more elements than memory
    /// could hold), or nil when it can.
    public static func problem(with shape: [Int]) -> String? {
        if let negative = shape.first(where: { $0 < 0 }) {
            return "shape \(shape) has a negative dimension (\(negative))"
        }
        if product(ofNonzero: shape) == nil {
            return "shape \(shape) holds more elements than memory can (at most 2^45)"
        }
        return nil
    }

    /// The product of the nonzero dimensions, or nil above `maximumElementCount`.
    static func product(ofNonzero shape: [Int]) -> Int? {
        var n = 1
        for d in shape where d != 0 {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow || product > maximumElementCount { return nil }
            n = product
        }
        return n
    }

    /// The element count of a shape a tensor may have, ending the process with a message
    /// naming `op` otherwise.
    public static func checkedCount(_ shape: [Int], op: String = "Tensor") -> Int {
        // One pass (every tensor an op makes comes through here): the same test as `problem(with:)`.
        var count = 1, nonzero = 1
        for d in shape {
            let (product, overflow) = nonzero.multipliedReportingOverflow(by: d == 0 ? 1 : d)
            if d < 0 || overflow || product > maximumElementCount {
                OpCheck.fail("\(op): \(problem(with: shape) ?? "shape \(shape) is invalid")")
            }
            nonzero = product
            count &*= d
        }
        return count
    }

    /// The sum of sizes, nil when it overflows (so a check can name the sizes instead).
    static func sum(_ values: [Int]) -> Int? {
        var total = 0
        for v in values {
            let (s, overflow) = total.addingReportingOverflow(v)
            if overflow { return nil }
            total = s
        }
        return total
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

    /// Resolves possibly negative axes against `rank`; a failed check names the op.
    public static func normalizedAxes(_ axes: [Int], rank: Int, op: String) -> [Int] {
        if let problem = axesProblem(axes, rank: rank) { OpCheck.fail("\(op): \(problem)") }
        return axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
    }

    /// Why `axes` do not name distinct axes of a rank-`rank` tensor, or nil when they do.
    public static func axesProblem(_ axes: [Int], rank: Int) -> String? {
        var seen = Set<Int>()
        for axis in axes {
            let resolved = axis < 0 ? axis + rank : axis
            if resolved < 0 || resolved >= rank { return "axis \(axis) is out of range for a tensor of rank \(rank)" }
            if !seen.insert(resolved).inserted { return "axis \(axis) is repeated in \(axes)" }
        }
        return nil
    }

    public static func normalizedAxis(_ axis: Int, rank: Int, op: String) -> Int {
        normalizedAxes([axis], rank: rank, op: op)[0]
    }

    /// The shape a reshape of `count` elements to `newShape` gives (one -1 is inferred), or why
    /// there is none.
    public static func reshapeTarget(count: Int, to newShape: [Int]) -> Result<[Int], ShapeProblem> {
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        if unknown.count > 1 { return .failure(ShapeProblem("more than one -1 in \(newShape)")) }
        if newShape.contains(where: { $0 < -1 }) { return .failure(ShapeProblem("\(newShape) has a negative dimension")) }
        var resolved = newShape
        if let unknown = unknown.first {
            var known = newShape
            known.remove(at: unknown)
            guard let product = product(ofNonzero: known), !known.contains(0) else {
                return .failure(ShapeProblem("the -1 in \(newShape) cannot be inferred from \(count) elements"))
            }
            if count % product != 0 {
                return .failure(ShapeProblem("\(count) elements do not divide into \(newShape)"))
            }
            resolved[unknown] = count / product
        }
        if let problem = problem(with: resolved) { return .failure(ShapeProblem(problem)) }
        if ShapeMath.count(resolved) != count {
            return .failure(ShapeProblem("\(newShape) holds \(ShapeMath.count(resolved)) elements, not \(count)"))
        }
        return .success(resolved)
    }
}

/// Why a shape does not fit an op, for the validating functions that return instead of ending
/// the process (so they can be tested, and callers can throw).
public struct ShapeProblem: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
