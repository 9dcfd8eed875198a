/// Keras's two distribution-comparing losses whose configs hold only `name` and `reduction`.

/// Keras `KLDivergence`: Σ y·log(y / p) over the last axis, both clipped to [ε, 1].
public final class KLDivergence: Loss {
    public override class var kerasClassName: String { "KLDivergence" }
    public override class var defaultName: String { "kl_divergence" }

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
    public override class var defaultName: String { "poisson" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (p - t * (p + LossMath.epsilon).log()).mean(axis: -1)
    }
}
