/// Keras's two distribution-comparing losses whose configs hold only `name` and `reduction`.

/// Keras `KLDivergence`: Σ y·log(y / p) over the last axis, both clipped to [ε, 1].
public final class KLDivergence: Loss {
    public override class var kerasClassName: String { "KLDivergence" }

    public init(reduction: Reduction = .sumOverBatchSize, name: String = "kl_divergence") {
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "kl_divergence")
        self.init(reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = t.clipped(min: LossMath.epsilon, max: 1)
        let prediction = p.clipped(min: LossMath.epsilon, max: 1)
        return (target * (target / prediction).log()).sum(axes: [-1])
    }
}

/// Keras `Poisson`: mean over the last axis of p − y·log(p + ε).
public final class Poisson: Loss {
    public override class var kerasClassName: String { "Poisson" }

    public init(reduction: Reduction = .sumOverBatchSize, name: String = "poisson") {
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "poisson")
        self.init(reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (p - t * (p + LossMath.epsilon).log()).mean(axis: -1)
    }
}
