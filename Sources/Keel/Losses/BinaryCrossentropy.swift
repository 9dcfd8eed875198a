/// Keras `BinaryCrossentropy`: −[y·log p + (1−y)·log(1−p)] averaged along `axis`, with
/// probabilities clipped to [ε, 1−ε] or, for logits, computed through log-sigmoids; labels may be
/// smoothed towards 0.5.
public final class BinaryCrossentropy: CrossentropyLoss {
    public override class var kerasClassName: String { "BinaryCrossentropy" }
    override class var defaultLossName: String { "binary_crossentropy" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedBinaryLabels(t, labelSmoothing)
        return LossMath.binaryCrossentropy(target: target, output: p, fromLogits: fromLogits).mean(axes: [axis])
    }
}
