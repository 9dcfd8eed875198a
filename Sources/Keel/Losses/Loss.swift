/// How a loss turns per-sample values into what it returns (Keras's `reduction`).
public enum Reduction: String, Sendable {
    case sumOverBatchSize = "sum_over_batch_size"
    case mean
    case meanWithSampleWeight = "mean_with_sample_weight"
    case sum
    case none

    public init(config value: JSONValue?, owner: String) throws {
        guard let value, !value.isNull else { self = .none; return }
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
        ["name": .string(name), "reduction": reduction == .none ? .null : .string(reduction.rawValue)]
    }

    public func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) -> Tensor {
        var values = self.values(yTrue: yTrue, yPred: yPred)
        var weights = sampleWeight.map { LossReduction.matchRank($0, to: values) }
        if let mask = mask(yTrue: yTrue, yPred: yPred) {
            // Keras turns a mask into weights; for mean reductions it rescales so the mean is over valid positions.
            var maskWeights = mask
            if reduction == .sumOverBatchSize || reduction == .mean {
                let valid = mask.sum().scalar
                maskWeights = mask * (valid > 0 ? Float(mask.count) / valid : 0)
            }
            weights = weights.map { $0 * maskWeights } ?? maskWeights
        }
        if let weights { values = values * weights }
        return LossReduction.reduce(values, reduction: reduction, sampleWeight: weights)
    }
}

enum LossReduction {
    /// Keras's `squeeze_or_expand_to_same_rank` for sample weights.
    static func matchRank(_ weights: Tensor, to values: Tensor) -> Tensor {
        var w = weights
        if w.rank == values.rank + 1, w.shape.last == 1 { w = w.squeezed(axes: [-1]) }
        if w.rank + 1 == values.rank, values.shape.last == 1 { w = w.expandingDims(at: -1) }
        return w
    }

    static func reduce(_ values: Tensor, reduction: Reduction, sampleWeight: Tensor?) -> Tensor {
        switch reduction {
        case .none: return values
        case .sum: return values.sum()
        case .sumOverBatchSize, .mean:
            return values.count == 0 ? Tensor(0) : values.sum() / Float(values.count)
        case .meanWithSampleWeight:
            guard let sampleWeight else { return values.count == 0 ? Tensor(0) : values.sum() / Float(values.count) }
            let total = sampleWeight.broadcasted(to: values.shape).sum()
            return total.scalar == 0 ? Tensor(0) : values.sum() / total
        }
    }
}
