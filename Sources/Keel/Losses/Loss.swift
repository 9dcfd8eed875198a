/// How a loss turns per-sample values into what it returns (Keras's `reduction`).
public enum Reduction: String, Sendable {
    case sumOverBatchSize = "sum_over_batch_size"
    case mean
    case meanWithSampleWeight = "mean_with_sample_weight"
    case sum
    case none

    public init(config value: JSONValue?, owner: String) throws {
        // Absent means Keras's default; an explicit null means no reduction.
        guard let value else { self = .sumOverBatchSize; return }
        if value.isNull { self = .none; return }
        guard let text = value.stringValue, let reduction = Reduction(rawValue: text) else {
            throw KeelError("\(owner): field 'reduction'",
                            expected: "one of sum_over_batch_size, mean, mean_with_sample_weight, sum, none",
                            found: value.summary)
        }
        self = reduction
    }
}

/// The base of every loss. A subclass computes per-sample values (`values(yTrue:yPred:)`, shape =
/// the batch dimensions); the base applies masks, sample weights and the reduction exactly as
/// Keras's `Loss.__call__` does (keras-spec §7.1). Everything is built from differentiable
/// tensor ops, so a loss can be differentiated with a GradientTape.
open class Loss: KerasSerializable {
    open class var kerasClassName: String { "Loss" }
    public var name: String
    public var reduction: Reduction
    /// Keras keeps `reduction=None` apart from `"none"`: both reduce nothing, but `get_config`
    /// gives back what was passed, so a config read from a file is written back unchanged.
    public var reductionIsNull = false

    public init(name: String, reduction: Reduction = .sumOverBatchSize) {
        self.name = name
        self.reduction = reduction
    }

    /// Per-sample loss values.
    open func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)) must override values(yTrue:yPred:)")
    }

    /// Positions to leave out (1 = keep), shaped like the values; nil keeps everything.
    open func mask(yTrue: Tensor, yPred: Tensor) -> Tensor? { nil }

    open var config: JSONObject {
        ["name": .string(name), "reduction": reductionIsNull ? .null : .string(reduction.rawValue)]
    }

    public func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) -> Tensor {
        LossReduction.reduceWeighted(values(yTrue: yTrue, yPred: yPred), sampleWeight: sampleWeight,
                                     mask: mask(yTrue: yTrue, yPred: yPred), reduction: reduction)
    }
}
