/// Keras `CategoricalCrossentropy`: −Σ y·log p along `axis`, for one-hot or soft labels. Rows of
/// probabilities that do not sum to one are renormalised before clipping to [ε, 1−ε]; logits go
/// through log-softmax. Labels may be smoothed towards uniform.
@Component(.loss)
public final class CategoricalCrossentropy: Loss {
    public override class var kerasClassName: String { "CategoricalCrossentropy" }
    public override class var defaultName: String { "categorical_crossentropy" }

    @Hyper("from_logits") public var fromLogits = false
    @Hyper("label_smoothing", .inRange(0...1)) public var labelSmoothing = 0.0
    @Hyper("axis") public var axis = -1

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedCategoricalLabels(t, labelSmoothing)
        return LossMath.categoricalCrossentropy(target: target, output: p, fromLogits: fromLogits, axis: axis)
    }
}
