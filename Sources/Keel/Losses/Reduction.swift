/// How a loss turns per-sample values into what it returns (Keras's `reduction`).
public enum Reduction: String, CaseIterable, Sendable {
    case sumOverBatchSize = "sum_over_batch_size"
    case mean
    case meanWithSampleWeight = "mean_with_sample_weight"
    case sum
    case none

    /// Reads Keras's `reduction` argument: absent means Keras's default; an explicit null is
    /// Keras's `reduction=None`, which reduces nothing.
    public init(config value: JSONValue?, owner: String) throws {
        guard let value else { self = .sumOverBatchSize; return }
        if value.isNull { self = .none; return }
        guard let text = value.stringValue, let reduction = Reduction(rawValue: text) else {
            throw KeelError("\(owner): field 'reduction'",
                            expected: "one of \(Reduction.allCases.map(\.rawValue).joined(separator: ", "))",
                            found: value.summary)
        }
        self = reduction
    }
}
