/// The four pointwise regression losses of Keras, each the mean over the last axis of an
/// elementwise error. Their configs hold only `name` and `reduction`.

/// Keras `MeanSquaredError`: mean((y_true − y_pred)²).
public final class MeanSquaredError: Loss {
    public override class var kerasClassName: String { "MeanSquaredError" }
    public override class var defaultName: String { "mean_squared_error" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (t - p).squared().mean(axis: -1)
    }
}

/// Keras `MeanAbsoluteError`: mean(|y_true − y_pred|).
public final class MeanAbsoluteError: Loss {
    public override class var kerasClassName: String { "MeanAbsoluteError" }
    public override class var defaultName: String { "mean_absolute_error" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return (t - p).abs().mean(axis: -1)
    }
}

/// Keras `MeanAbsolutePercentageError`: 100 · mean(|(y_true − y_pred) / max(|y_true|, ε)|).
public final class MeanAbsolutePercentageError: Loss {
    public override class var kerasClassName: String { "MeanAbsolutePercentageError" }
    public override class var defaultName: String { "mean_absolute_percentage_error" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let relative = ((t - p) / t.abs().maximum(Tensor(LossMath.epsilon))).abs()
        return relative.mean(axis: -1) * 100
    }
}

/// Keras `MeanSquaredLogarithmicError`: mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))²).
public final class MeanSquaredLogarithmicError: Loss {
    public override class var kerasClassName: String { "MeanSquaredLogarithmicError" }
    public override class var defaultName: String { "mean_squared_logarithmic_error" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let floor = Tensor(LossMath.epsilon)
        let predictedLog = (p.maximum(floor) + 1).log()
        let trueLog = (t.maximum(floor) + 1).log()
        return (predictedLog - trueLog).squared().mean(axis: -1)
    }
}
