/// Keras `CategoricalCrossentropy`: −Σ y·log p along `axis`, for one-hot or soft labels. Rows of
/// probabilities that do not sum to one are renormalised before clipping to [ε, 1−ε]; logits go
/// through log-softmax. Labels may be smoothed towards uniform.
public final class CategoricalCrossentropy: CrossentropyLoss {
    public override class var kerasClassName: String { "CategoricalCrossentropy" }
    override class var defaultLossName: String { "categorical_crossentropy" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedCategoricalLabels(t, labelSmoothing)
        return LossMath.categoricalCrossentropy(target: target, output: p, fromLogits: fromLogits, axis: axis)
    }
}
