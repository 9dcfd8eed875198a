/// Keras `BinaryCrossentropy`: −[y·log p + (1−y)·log(1−p)] averaged along `axis`, with
/// probabilities clipped to [ε, 1−ε] or, for logits, computed through log-sigmoids; labels may be
/// smoothed towards 0.5.
@Component(.loss)
public final class BinaryCrossentropy: Loss {
    public override class var kerasClassName: String { "BinaryCrossentropy" }
    public override class var defaultName: String { "binary_crossentropy" }

    @Hyper("from_logits") public var fromLogits = false
    @Hyper("label_smoothing", .inRange(0...1)) public var labelSmoothing = 0.0
    @Hyper("axis") public var axis = -1

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedBinaryLabels(t, labelSmoothing)
        return LossMath.binaryCrossentropy(target: target, output: p, fromLogits: fromLogits).mean(axes: [axis])
    }
}
