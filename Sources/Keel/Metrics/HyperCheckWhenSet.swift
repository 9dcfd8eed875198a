/// Checks for optional hyper-parameters (`top_k`, `class_id`, `num_labels`), where null means
/// "not used" and always passes.
extension HyperCheck {
    public static func whenSet<Wrapped>(_ check: HyperCheck<Wrapped>) -> HyperCheck where Value == Wrapped? {
        HyperCheck("null or \(check.expected)") { $0.map(check.holds) ?? true }
    }
}
