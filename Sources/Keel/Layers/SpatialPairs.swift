/// Amounts added or removed before and after each spatial axis (ZeroPadding, Cropping). Keras
/// accepts one integer for every side, one integer per axis for both its sides, or a
/// `(before, after)` pair per axis, and writes the pairs back. With one axis (ZeroPadding1D,
/// Cropping1D) Keras takes one integer or one `(before, after)` pair and writes the pair.
public struct SpatialPairs<Arity: TupleArity>: ConfigRepresentable, Equatable, ExpressibleByIntegerLiteral {
    /// One `[before, after]` per spatial axis.
    public private(set) var pairs: [[Int]]

    public init(_ pairs: [(before: Int, after: Int)]) {
        opCheck(pairs.count == Arity.count, "SpatialPairs: \(Arity.count) pairs expected, got \(pairs.count)")
        self.pairs = pairs.map { [$0.before, $0.after] }
    }

    /// Each axis padded or cropped by the same amount on both sides.
    public init(symmetric amounts: [Int]) {
        opCheck(amounts.count == Arity.count, "SpatialPairs: \(Arity.count) amounts expected, got \(amounts.count)")
        pairs = amounts.map { [$0, $0] }
    }

    public init(integerLiteral value: Int) { pairs = Array(repeating: [value, value], count: Arity.count) }

    public init(configValue: JSONValue) throws {
        let expected = "an integer, a list of \(Arity.count) integers or a list of \(Arity.count) [before, after] pairs"
        if let single = configValue.intValue { pairs = Array(repeating: [single, single], count: Arity.count); return }
        if Arity.count == 1 {
            guard let pair = configValue.arrayValue, pair.count == 2, let before = pair[0].intValue, let after = pair[1].intValue else {
                throw ConfigMismatch("an integer or a [before, after] pair of integers")
            }
            pairs = [[before, after]]
            return
        }
        guard let items = configValue.arrayValue, items.count == Arity.count else { throw ConfigMismatch(expected) }
        pairs = try items.map { item in
            if let amount = item.intValue { return [amount, amount] }
            guard let pair = item.arrayValue, pair.count == 2, let before = pair[0].intValue, let after = pair[1].intValue else {
                throw ConfigMismatch(expected)
            }
            return [before, after]
        }
    }

    public var configValue: JSONValue { Arity.count == 1 ? .from(pairs[0]) : .array(pairs.map { .from($0) }) }

    /// The (before, after) amounts of spatial axis `index`.
    public subscript(index: Int) -> (before: Int, after: Int) { (pairs[index][0], pairs[index][1]) }
}

extension HyperCheck {
    /// Every amount ≥ 0, none of them huge.
    public static func nonNegativePairs<Arity>() -> HyperCheck where Value == SpatialPairs<Arity> {
        HyperCheck("non-negative integers up to \(1 << 24)") { $0.pairs.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 <= 1 << 24 } } }
    }
}

/// What the layers that reshape the spatial axes of images and volumes share: the input's
/// layout for messages and moving the spatial axes between formats.
extension DataFormat {
    /// "(batch, depth, height, width, channels)" and the like, for a batch with `spatial` axes.
    func layout(spatialNames: [String]) -> String {
        let names = self == .channelsLast ? ["batch"] + spatialNames + ["channels"] : ["batch", "channels"] + spatialNames
        return "(" + names.joined(separator: ", ") + ")"
    }

    /// A batch's shape in this format from its spatial sizes.
    func shape(batch: Int?, spatial: [Int?], channels: Int?) -> [Int?] {
        self == .channelsLast ? [batch] + spatial + [channels] : [batch, channels] + spatial
    }
}

/// The names of 1-D, 2-D and 3-D spatial axes, as Keras's messages call them.
enum SpatialAxisNames {
    static let sequential = ["steps"]
    static let planar = ["height", "width"]
    static let volumetric = ["depth", "height", "width"]

    static func forCount(_ count: Int) -> [String] {
        switch count {
        case 1: return sequential
        case 3: return volumetric
        default: return planar
        }
    }
}
