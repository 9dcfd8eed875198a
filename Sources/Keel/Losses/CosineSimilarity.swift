/// Keras `CosineSimilarity` loss: −Σ l2_normalize(y_true)·l2_normalize(y_pred) along `axis`,
/// between −1 (same direction) and 1; 0 when either vector is zero. Keras's `get_config` has no
/// `axis`; the constructor takes it.
public final class CosineSimilarity: Loss {
    public override class var kerasClassName: String { "CosineSimilarity" }
    public let axis: Int

    public init(axis: Int = -1, reduction: Reduction = .sumOverBatchSize, name: String = "cosine_similarity") {
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "cosine_similarity",
                                    ownFields: ["axis"])
        self.init(axis: try fields.reader.int("axis", default: -1), reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return -(LossMath.l2Normalized(t, axis: axis) * LossMath.l2Normalized(p, axis: axis)).sum(axes: [axis])
    }
}
