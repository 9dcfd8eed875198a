/// Keras's three hinge losses, for labels in {−1, 1} (or {0, 1}, converted for Hinge and
/// SquaredHinge). Their configs hold only `name` and `reduction`.

/// Keras `Hinge`: mean over the last axis of max(1 − y·p, 0).
public final class Hinge: Loss {
    public override class var kerasClassName: String { "Hinge" }
    public override class var defaultName: String { "hinge" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (1 - LossMath.hingeLabels(t) * p).maximum(Tensor(0)).mean(axis: -1)
    }
}

/// Keras `SquaredHinge`: mean over the last axis of max(1 − y·p, 0)².
public final class SquaredHinge: Loss {
    public override class var kerasClassName: String { "SquaredHinge" }
    public override class var defaultName: String { "squared_hinge" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (1 - LossMath.hingeLabels(t) * p).maximum(Tensor(0)).squared().mean(axis: -1)
    }
}

/// Keras `CategoricalHinge`: max(neg − pos + 1, 0) with pos = Σ y·p and neg = max((1 − y)·p)
/// over the last axis; labels are one-hot.
public final class CategoricalHinge: Loss {
    public override class var kerasClassName: String { "CategoricalHinge" }
    public override class var defaultName: String { "categorical_hinge" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let positive = (t * p).sum(axes: [-1])
        let negative = ((1 - t) * p).max(axis: -1)
        return (negative - positive + 1).maximum(Tensor(0))
    }
}
