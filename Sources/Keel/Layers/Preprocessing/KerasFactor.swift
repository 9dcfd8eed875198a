/// The `factor`-like fields of Keras's image preprocessing layers: a number or a pair of numbers.
/// Keras keeps each number as the Python int or float it was given, and some layers write the
/// pair they derived from it (`(lower, upper)`), so these helpers work on the JSON numbers
/// themselves: a config read back writes the same text Keras wrote.
enum KerasFactor {
    /// The number or pair, as numbers; nil when the value is neither.
    static func numbers(_ value: JSONValue) -> [Double]? {
        if let single = value.doubleValue { return [single] }
        guard let items = value.arrayValue, items.count == 2 else { return nil }
        let numbers = items.compactMap(\.doubleValue)
        return numbers.count == 2 ? numbers : nil
    }

    /// Keras's `BaseImagePreprocessingLayer._set_factor`: a pair is sorted; a number f gives
    /// (max(−|f|, low bound), |f|). Python's `max` keeps the first of equal values and each
    /// number keeps its int or float kind.
    static func range(_ value: JSONValue, bounds: (low: JSONValue, high: JSONValue)) -> JSONValue {
        if let items = value.arrayValue, items.count == 2, let a = items[0].doubleValue, let b = items[1].doubleValue {
            return .array(b < a ? [items[1], items[0]] : items)
        }
        guard let f = value.doubleValue else { return value }
        let magnitude = f < 0 ? negated(value) : value
        let low = bounds.low.doubleValue ?? 0
        return .array([-Swift.abs(f) >= low ? negated(magnitude) : bounds.low, magnitude])
    }

    /// The check `_set_factor` makes: a number in [low, high], or a pair overlapping it.
    static func fitsBounds(_ value: JSONValue, low: Double, high: Double) -> Bool {
        guard let numbers = numbers(value) else { return false }
        if value.arrayValue != nil { return !(numbers[0] > high || numbers[1] < low) }
        return numbers[0] >= low && numbers[0] <= high
    }

    /// The (lower, upper) RandomZoom and RandomTranslation derive: a sorted pair, or (−|f|, |f|).
    static func symmetricRange(_ value: JSONValue) -> (Double, Double) {
        guard let numbers = numbers(value) else { return (0, 0) }
        if numbers.count == 2 { return (Swift.min(numbers[0], numbers[1]), Swift.max(numbers[0], numbers[1])) }
        return (-Swift.abs(numbers[0]), Swift.abs(numbers[0]))
    }

    /// A HyperCheck: a number or a pair of numbers each within `range` (`lowOpen` excludes the low end).
    static func check(_ range: ClosedRange<Double>, lowOpen: Bool = false) -> HyperCheck<JSONValue> {
        let low = lowOpen ? "(\(range.lowerBound)" : "[\(range.lowerBound)"
        return HyperCheck("a number or a list of two numbers in \(low), \(range.upperBound)]") { value in
            guard let numbers = numbers(value) else { return false }
            return numbers.allSatisfy { range.contains($0) && !(lowOpen && $0 == range.lowerBound) }
        }
    }

    static func negated(_ value: JSONValue) -> JSONValue {
        switch value {
        case .int(let i): return .int(-i)
        case .double(let d): return .double(-d)
        default: return value
        }
    }
}

/// The base of Keras's image preprocessing layers: `data_format` follows the base fields in
/// every config. Calls take a (height, width, channels) image or a batch of them.
@Component(.layer)
open class ImagePreprocessingLayer: Layer {
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    /// The (height, width) axes of an input of this rank.
    func imageAxes(rank: Int) -> (Int, Int) {
        dataFormat == .channelsLast ? (rank - 3, rank - 2) : (rank - 2, rank - 1)
    }

    /// The input shape after checking it is an image or a batch of images.
    func imageInput(_ shapes: [[Int?]]) throws -> [Int?] {
        try singleInput(shapes, rank: 3...4, layout: dataFormat == .channelsLast
            ? "([batch,] height, width, channels)" : "([batch,] channels, height, width)")
    }

    /// The seed's own generator, or Keel's global one (`KeelRandom`) for a layer without a seed.
    func randomGenerator(seed: Int?) -> RandomGenerator {
        if let seed {
            if let seededGenerator, seededGeneratorSeed == seed { return seededGenerator }
            let generator = RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
            (seededGenerator, seededGeneratorSeed) = (generator, seed)
            return generator
        }
        return KeelRandom.generator
    }
    private var seededGenerator: RandomGenerator?
    private var seededGeneratorSeed: Int?

    /// `count` uniform draws in [low, high).
    func uniforms(_ count: Int, _ low: Double, _ high: Double, seed: Int?) -> [Float] {
        randomGenerator(seed: seed).uniform([count], low: Float(low), high: Float(high)).scalars
    }
}
