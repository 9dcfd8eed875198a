/// Keras's `thresholds` argument of the confusion-matrix metrics: one number or a list
/// (`parse_init_thresholds`), written back in the form it was given.
public typealias MetricThresholds = OneOrMany<Double>

extension OneOrMany where Element == Double {
    /// Keras's `is_evenly_distributed_thresholds`: at least three, each within `allclose` of
    /// i/(n−1) computed in float32. Such thresholds take the bucketed counting path.
    static func areEvenlyDistributed(_ thresholds: [Double]) -> Bool {
        let n = thresholds.count
        guard n >= 3 else { return false }
        return thresholds.enumerated().allSatisfy { i, t in
            let even = Double(Float(i) / Float(n - 1))
            return Swift.abs(t - even) <= 1e-7 + 1e-5 * Swift.abs(even)
        }
    }
}

extension HyperCheck where Value == MetricThresholds? {
    /// Keras's `assert_thresholds_range`: every threshold in [0, 1] (and at least one).
    public static var withinZeroAndOne: HyperCheck {
        HyperCheck("null, or one or more values in [0, 1]") { thresholds in
            guard let values = thresholds?.values else { return true }
            return !values.isEmpty && values.allSatisfy { $0 >= 0 && $0 <= 1 }
        }
    }
}
