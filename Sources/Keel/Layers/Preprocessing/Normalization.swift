/// Keras's `Normalization`: `(x − mean) / max(√variance, 1e-7)` (`invert`:
/// `mean + x · max(√variance, 1e-7)`), one statistic per position along the kept `axis`.
/// The statistics come from the config (`mean`, `variance`: no weights) or from `adapt` over
/// data, which fills the non-trainable weights `mean`, `variance` and the int32 `count`
/// (which Keras 3's `adapt` leaves at 0; Keel keeps that).
@Component(.layer)
open class Normalization: Layer {
    open override class var kerasClassName: String { "Normalization" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("axis") public var axis: NormalizationAxes = [-1]
    @Hyper("invert") public var invert = false
    @Hyper("mean", Normalization.statistic) public var mean: JSONValue? = nil
    @Hyper("variance", Normalization.statistic) public var variance: JSONValue? = nil

    static let statistic = HyperCheck<JSONValue?>("null, a number or a (nested) list of numbers") { value in
        value.map { JSONTensor.parse($0) != nil } ?? true
    }

    public private(set) var adaptedMean: Variable?
    public private(set) var adaptedVariance: Variable?
    public private(set) var count: Variable?

    open override func check() throws {
        try super.check()
        guard (mean == nil) == (variance == nil) else {
            throw KeelError("\(nameForMessages): fields 'mean' and 'variance'", expected: "both set or both null",
                            found: "only '\(mean == nil ? "variance" : "mean")' set")
        }
        if let mean, let variance, let m = JSONTensor.parse(mean), let v = JSONTensor.parse(variance) {
            guard m.shape == v.shape else {
                throw KeelError("\(nameForMessages): fields 'mean' and 'variance'", expected: "the same shape",
                                found: "mean \(m.shape), variance \(v.shape)")
            }
            guard m.rank <= axis.values.count else {
                throw KeelError("\(nameForMessages): field 'mean'", expected: "at most \(axis.values.count) axes (one per kept axis)",
                                found: "shape \(m.shape)")
            }
        }
    }

    /// The kept axes, non-negative and sorted, for an input of this rank.
    private func keptAxes(rank: Int) -> [Int] {
        Array(Set(axis.values.map { $0 < 0 ? $0 + rank : $0 })).sorted()
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        for a in axis.values { _ = try checkedAxis(a, rank: shape.count, shapes: inputShapes) }
        let kept = keptAxes(rank: shape.count)
        for a in kept { _ = try knownDimension(inputShapes, axis: a, what: "kept") }
        if let mean, let given = JSONTensor.parse(mean) {
            // Repeated axes (-1 and 1 of a matrix) keep fewer axes than `axis` lists.
            guard given.rank <= kept.count else {
                throw invalidInput(expected: "at least \(given.rank) distinct kept axes, one per axis of 'mean'", found: inputShapes)
            }
            for i in 0..<given.rank {
                let size = given.shape[given.rank - 1 - i], axisIndex = kept[kept.count - 1 - i]
                if size != 1 && shape[axisIndex] != size {
                    throw invalidInput(expected: "axis \(axisIndex) of size \(size), as 'mean' has", found: inputShapes)
                }
            }
        }
        if let adaptedMean {
            let sizes = kept.map { shape[$0] ?? -1 }
            if sizes != adaptedMean.shape {
                throw invalidInput(expected: "kept axes of sizes \(adaptedMean.shape), as adapted", found: inputShapes)
            }
        }
        return shape
    }

    open override func build(inputShape: [Int]) {
        guard mean == nil else { return }
        let statisticShape = keptAxes(rank: inputShape.count).map { inputShape[$0] }
        adaptedMean = addWeight(name: "mean", shape: statisticShape, initializer: Zeros(), trainable: false)
        adaptedVariance = addWeight(name: "variance", shape: statisticShape, initializer: Ones(), trainable: false)
        count = addWeight(name: "count", shape: [], initializer: Zeros(), trainable: false, dtype: .int32)
    }

    /// The statistic shaped to broadcast against an input of this rank.
    private func broadcastable(_ statistic: Tensor, rank: Int) -> Tensor {
        let kept = keptAxes(rank: rank)
        opCheck(statistic.rank <= kept.count && kept.allSatisfy { $0 >= 0 && $0 < rank },
                "\(nameForMessages): statistics of shape \(statistic.shape) for axis \(axis.values) of a rank-\(rank) input")
        var shape = [Int](repeating: 1, count: rank)
        for i in 0..<statistic.rank { shape[kept[kept.count - 1 - i]] = statistic.shape[statistic.rank - 1 - i] }
        return statistic.reshaped(shape)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = input.cast(to: .float32)
        let statistics: (Tensor, Tensor)
        if let mean, let variance, let givenMean = JSONTensor.parse(mean), let givenVariance = JSONTensor.parse(variance) {
            statistics = (givenMean, givenVariance)
        } else {
            // Keras reads the adapted statistics as constants (`finalize_state`), not through the weights.
            statistics = (adaptedMean!.value.copied(), adaptedVariance!.value.copied())
        }
        let (m, v) = statistics
        let scale = broadcastable(v, rank: x.rank).sqrt().maximum(Tensor(1e-7))
        let shift = broadcastable(m, rank: x.rank)
        return invert ? shift + x * scale : (x - shift) / scale
    }

    // MARK: adapt

    /// Sets `mean` and `variance` to the statistics of `data` over every axis but the kept ones
    /// (Keras's `adapt` on an array). The layer is built for `data`'s shape if it is not yet.
    public func adapt(_ data: Tensor) throws {
        try adapt(batches: [data])
    }

    /// `adapt` over the inputs (`x[0]`) of every batch of a dataset.
    public func adapt(_ dataset: Dataset) throws {
        try dataset.withInputBatches { try adapt(batches: $0) }
    }

    /// `adapt` over batches, combined as Keras combines them: a running mean and variance, each
    /// batch weighted by its share of the values seen.
    public func adapt<Batches: Sequence<Tensor>>(batches: Batches) throws {
        guard mean == nil else {
            throw KeelError("\(nameForMessages): adapt", expected: "a layer without a given 'mean' and 'variance'",
                            found: "statistics set in the config")
        }
        var total: (mean: [Double], variance: [Double], count: Int)?
        for batch in batches {
            if !isBuilt {
                try checkInputs([batch.shape.map { $0 }])
                buildIfNeeded(inputShapes: [batch.shape])
            }
            let rank = builtInputShapes[0].count
            guard batch.rank == rank else {
                throw invalidInput(expected: "adapt data of rank \(rank), as the layer was built for", found: [batch.shape.map { $0 }])
            }
            try checkInputs([batch.shape.map { $0 }])
            let statistics = Self.statistics(of: batch.cast(to: .float32), kept: keptAxes(rank: rank))
            guard let running = total else { total = statistics; continue }
            let count = running.count + statistics.count
            guard count > 0 else { continue }
            let batchWeight = Double(statistics.count) / Double(count), existingWeight = 1 - batchWeight
            var mean = running.mean, variance = running.variance
            for i in mean.indices {
                let newMean = running.mean[i] * existingWeight + statistics.mean[i] * batchWeight
                let a = running.mean[i] - newMean, b = statistics.mean[i] - newMean
                variance[i] = (running.variance[i] + a * a) * existingWeight + (statistics.variance[i] + b * b) * batchWeight
                mean[i] = newMean
            }
            total = (mean, variance, count)
        }
        guard let total, let adaptedMean, let adaptedVariance else {
            throw KeelError("\(nameForMessages): adapt", expected: "at least one batch of data", found: "none")
        }
        adaptedMean.assign(Tensor(shape: adaptedMean.shape, scalars: total.mean.map { Float($0) }))
        adaptedVariance.assign(Tensor(shape: adaptedVariance.shape, scalars: total.variance.map { Float($0) }))
    }

    /// Per kept position: the mean and (population) variance over the other axes, and how many
    /// values each reduced.
    private static func statistics(of x: Tensor, kept: [Int]) -> (mean: [Double], variance: [Double], count: Int) {
        let shape = x.shape
        let keptSize = kept.reduce(1) { $0 * shape[$1] }
        let reduced = keptSize == 0 ? 0 : x.count / keptSize
        var sums = [Double](repeating: 0, count: keptSize), squares = sums
        let values = x.scalars
        var strides = [Int](repeating: 1, count: shape.count)
        for a in stride(from: shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * shape[a + 1] }
        var means = sums
        for pass in 0..<2 {
            for (flat, value) in values.enumerated() {
                var position = 0
                for a in kept { position = position * shape[a] + (flat / strides[a]) % shape[a] }
                if pass == 0 {
                    sums[position] += Double(value)
                } else {
                    let d = Double(value) - means[position]
                    squares[position] += d * d
                }
            }
            if pass == 0 { means = sums.map { reduced > 0 ? $0 / Double(reduced) : .nan } }
        }
        return (means, squares.map { reduced > 0 ? $0 / Double(reduced) : .nan }, reduced)
    }
}

/// A JSON number or rectangular nested list of numbers as a float32 tensor.
enum JSONTensor {
    static func parse(_ value: JSONValue) -> Tensor? {
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var scalars: [Float] = []
        func collect(_ v: JSONValue, depth: Int) -> Bool {
            if depth == shape.count {
                guard let number = v.doubleValue else { return false }
                scalars.append(Float(number))
                return true
            }
            guard let items = v.arrayValue, items.count == shape[depth] else { return false }
            return items.allSatisfy { collect($0, depth: depth + 1) }
        }
        guard collect(value, depth: 0), shape.reduce(1, *) <= 1 << 24 else { return nil }
        return Tensor(shape: shape, scalars: scalars)
    }
}
