/// Keras's `Discretization`: each value's bucket index (the number of boundaries ≤ it, as
/// `numpy.digitize`) as int32 (`int`), or encoded as floats: `one_hot` (per value), `multi_hot`
/// (1 for each bucket present) and `count` (how many values fell in it) over axis 1, as Keras's
/// `encode_categorical_inputs` does. The boundaries are given (`bin_boundaries`) or computed by
/// `adapt` for `num_bins` buckets from Keras's approximate-quantile summary with tolerance
/// `epsilon`; after `adapt` the config carries both, as Keras writes it.
/// Keras writes this config in its own order, without `trainable` and with the dtype as a string.
@Component(.layer)
open class Discretization: Layer {
    open override class var kerasClassName: String { "Discretization" }

    public enum OutputMode: String, CaseIterable, ConfigRepresentable, Sendable {
        case int, oneHot = "one_hot", multiHot = "multi_hot", count
    }

    @Hyper("bin_boundaries", HyperCheck("a list of increasing numbers") { boundaries in
        boundaries.map { zip($0, $0.dropFirst()).allSatisfy { $0 <= $1 } } ?? true
    }) public var binBoundaries: [Double]? = nil
    @Hyper("num_bins", HyperCheck("null or an integer ≥ 0") { $0.map { $0 >= 0 && $0 <= 1 << 24 } ?? true }) public var numBins: Int? = nil
    @Hyper("epsilon") public var epsilon = 0.01
    @Hyper("output_mode") public var outputMode: OutputMode = .int
    @Hyper("sparse", .mustBeFalse("Keel has no sparse tensors")) public var sparse = false

    open override func check() throws {
        try super.check()
        guard binBoundaries != nil || numBins != nil else {
            throw KeelError("\(nameForMessages): fields 'bin_boundaries' and 'num_bins'",
                            expected: "one of them set (num_bins, then adapt)", found: "both null")
        }
    }

    open override var config: JSONObject {
        var object = super.config
        let base: JSONObject = ["name": object["name"] ?? .null, "dtype": "float32"]
        for key in ["name", "trainable", "dtype"] { object[key] = nil }
        for (key, value) in base { object[key] = value }
        return object
    }

    /// The number of buckets: one more than the boundaries, or `num_bins` before `adapt`.
    private var depth: Int { binBoundaries.map { $0.count + 1 } ?? numBins ?? 1 }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        switch outputMode {
        case .int: return shape
        case .oneHot: return (shape.count > 1 && shape.last == 1 ? Array(shape.dropLast()) : shape) + [depth]
        case .multiHot, .count:
            let encoded: Int? = depth
            return shape.count > 1 ? [shape[0]] + Array(shape.dropFirst(2)) + [encoded] : [encoded]
        }
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { outputMode == .int ? .int32 : .float32 }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        opCheck(binBoundaries != nil, "\(nameForMessages): no bin boundaries: give 'bin_boundaries' or call adapt first")
        let boundaries = (binBoundaries ?? []).map { Float($0) }
        let buckets = input.cast(to: .float32).scalars.map { value -> Int32 in
            // numpy.digitize with increasing bins: the number of boundaries ≤ value (NaN after all).
            if value.isNaN { return Int32(boundaries.count) }
            var low = 0, high = boundaries.count
            while low < high {
                let mid = (low + high) / 2
                if boundaries[mid] <= value { low = mid + 1 } else { high = mid }
            }
            return Int32(low)
        }
        let indices = Tensor(shape: input.shape, int32s: buckets)
        switch outputMode {
        case .int:
            return indices
        case .oneHot:
            let squeezed = input.rank > 1 && input.shape.last == 1 ? indices.reshaped(Array(input.shape.dropLast())) : indices
            return squeezed.oneHot(depth: depth)
        case .multiHot, .count:
            return Self.encodeOverAxis1(buckets, shape: input.shape, depth: depth, counting: outputMode == .count)
        }
    }

    /// `multi_hot`/`count` as Keras's jax backend computes them: the one-hot of every index, reduced
    /// (max or sum) over axis 1 (axis 0 of a rank-1 input): shape `[d0] + d2… + [depth]`.
    private static func encodeOverAxis1(_ buckets: [Int32], shape: [Int], depth: Int, counting: Bool) -> Tensor {
        let outer = shape.count > 1 ? shape[0] : 1
        let reduced = shape.count > 1 ? shape[1] : shape.first ?? 1
        let inner = shape.count > 1 ? shape.dropFirst(2).reduce(1, *) : 1
        var out = [Float](repeating: 0, count: outer &* inner &* depth)
        for o in 0..<outer {
            for r in 0..<reduced {
                for i in 0..<inner {
                    let bucket = Int(buckets[(o &* reduced &+ r) &* inner &+ i])
                    let slot = (o &* inner &+ i) &* depth &+ bucket
                    if counting { out[slot] += 1 } else { out[slot] = 1 }
                }
            }
        }
        let outShape = shape.count > 1 ? [shape[0]] + Array(shape.dropFirst(2)) + [depth] : [depth]
        return Tensor(shape: outShape, scalars: out)
    }

    // MARK: adapt

    /// Computes `num_bins − 1` boundaries from the quantiles of every value of `data` (Keras's
    /// `adapt` on an array), replacing any earlier ones.
    public func adapt(_ data: Tensor) throws {
        try adapt(batches: [data])
    }

    /// `adapt` over the inputs (`x[0]`) of every batch of a dataset.
    public func adapt(_ dataset: Dataset) throws {
        try dataset.withInputBatches { try adapt(batches: $0) }
    }

    /// `adapt` over batches, merged into one summary as Keras merges them (each batch summarised,
    /// merged with the summary so far and compressed to `epsilon`).
    public func adapt<Batches: Sequence<Tensor>>(batches: Batches) throws {
        guard let numBins else {
            throw KeelError("\(nameForMessages): adapt", expected: "a layer configured with 'num_bins'",
                            found: "'bin_boundaries' given instead")
        }
        guard numBins >= 1 else {
            throw KeelError("\(nameForMessages): field 'num_bins'", expected: "at least 1 to adapt", found: "\(numBins)")
        }
        if let problem = QuantileSummary.problem(epsilon: epsilon) {
            throw KeelError("\(nameForMessages): field 'epsilon'", expected: problem, found: "\(epsilon)")
        }
        var summary = QuantileSummary()
        for batch in batches {
            summary = QuantileSummary(batch: batch.cast(to: .float32).scalars, epsilon: epsilon)
                .merged(into: summary, epsilon: epsilon)
        }
        binBoundaries = summary.binBoundaries(numBins: numBins).map { Double($0) }
    }
}

extension Discretization: AdaptableLayer {}
