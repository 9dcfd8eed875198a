import Foundation

/// Keras's approximate-quantile summary behind `Discretization.adapt`: sorted values with
/// weights (how many data values each stands for), merged batch by batch and compressed to about
/// `1/epsilon` points. Every step repeats Keras 3.15's numpy arithmetic — float32 values and
/// running sums, float64 interpolation (`numpy.interp`) — so adapted boundaries equal Keras's.
struct QuantileSummary: Equatable {
    var values: [Float] = []
    var weights: [Float] = []

    /// Why Keras's own arithmetic fails for this epsilon (a division by zero or a non-finite
    /// stride in Python), or nil.
    static func problem(epsilon: Double) -> String? {
        epsilon == 0 || !epsilon.isFinite ? "a finite epsilon ≠ 0" : nil
    }

    /// One batch: its values sorted, every `step`-th kept (`step` = max(count·epsilon, 1)), each
    /// weighing `step` (Keras's `summarize`).
    init(batch: [Float], epsilon: Double) {
        let sorted = batch.sorted(by: Self.numpyOrder)
        let step = Swift.max(Double(sorted.count) / (1.0 / epsilon), 1)
        let start = step - 1
        // Python's int() truncates; a start past the end keeps nothing.
        guard step.isFinite, start < Double(sorted.count) else { return }
        values = Swift.stride(from: Int(start), to: sorted.count, by: Int(step)).map { sorted[$0] }
        weights = [Float](repeating: Float(step), count: values.count)
    }

    init() {}

    init(values: [Float], weights: [Float]) {
        self.values = values
        self.weights = weights
    }

    /// numpy's sort order: NaN after every number.
    static func numpyOrder(_ a: Float, _ b: Float) -> Bool {
        a.isNaN ? false : (b.isNaN ? true : a < b)
    }

    /// Keras's `merge_summaries(batch, running)`: both, sorted by value (the batch's points first
    /// among equal values), compressed. numpy's argsort is not stable, so where a batch point
    /// equals a running point of another weight Keras's order — and so its result — can differ in
    /// the last bits from this one.
    func merged(into running: QuantileSummary, epsilon: Double) -> QuantileSummary {
        let allValues = values + running.values, allWeights = weights + running.weights
        let order = allValues.indices.sorted { a, b in
            let x = allValues[a], y = allValues[b]
            if Self.numpyOrder(x, y) { return true }
            if Self.numpyOrder(y, x) { return false }
            return a < b
        }
        return QuantileSummary(values: order.map { allValues[$0] }, weights: order.map { allWeights[$0] })
            .compressed(epsilon: epsilon)
    }

    /// Keras's `compress_summary`: at most about `1/epsilon` points, placed at the cumulative
    /// weight fractions epsilon, 2·epsilon, … by linear interpolation; unchanged when the summary
    /// has fewer than `1/epsilon` points.
    func compressed(epsilon: Double) -> QuantileSummary {
        if Double(values.count) * epsilon < 1 { return self }
        // numpy.arange(0, 1, epsilon): ceil(1/epsilon) values i·epsilon.
        let count = Int((1.0 / epsilon).rounded(.up))
        let percents = (0..<count).map { epsilon + Double($0) * epsilon }
        var cumulative = [Float](repeating: 0, count: weights.count)
        var sum: Float = 0
        for (i, weight) in weights.enumerated() {
            sum += weight
            cumulative[i] = sum
        }
        let total = cumulative[cumulative.count - 1]
        let fractions = cumulative.map { Double($0 / total) }
        let points = values.map { Double($0) }, sums = cumulative.map { Double($0) }
        let newValues = Self.interpolate(percents, fractions, points)
        let newSums = Self.interpolate(percents, fractions, sums)
        var newWeights = [Double](repeating: 0, count: newSums.count)
        for i in newSums.indices { newWeights[i] = newSums[i] - (i == 0 ? 0 : newSums[i - 1]) }
        return QuantileSummary(values: newValues.map { Float($0) }, weights: newWeights.map { Float($0) })
    }

    /// The `numBins − 1` inner boundaries (Keras's `get_bin_boundaries`).
    func binBoundaries(numBins: Int) -> [Float] {
        Array(compressed(epsilon: 1.0 / Double(numBins)).values.dropLast())
    }

    /// `numpy.interp(x, xp, fp)` for increasing `xp`, with its arithmetic: the last `xp[j] ≤ x`,
    /// ends clamped, `slope·(x − xp[j]) + fp[j]`.
    static func interpolate(_ x: [Double], _ xp: [Double], _ fp: [Double]) -> [Double] {
        let n = xp.count
        return x.map { value in
            if value.isNaN { return value }
            if n == 1 { return fp[0] }
            if value > xp[n - 1] { return fp[n - 1] }
            if value < xp[0] { return fp[0] }
            var low = 0, high = n
            while low < high {
                let mid = low + (high - low) / 2
                if value >= xp[mid] { low = mid + 1 } else { high = mid }
            }
            let j = low - 1
            if j == n - 1 || xp[j] == value { return fp[j] }
            let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
            var result = slope * (value - xp[j]) + fp[j]
            if result.isNaN {
                result = slope * (value - xp[j + 1]) + fp[j + 1]
                if result.isNaN && fp[j] == fp[j + 1] { result = fp[j] }
            }
            return result
        }
    }
}
