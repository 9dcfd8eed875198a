/// Keras `BinaryCrossentropy`: −[y·log p + (1−y)·log(1−p)] averaged along `axis`, with
/// probabilities clipped to [ε, 1−ε] or, for logits, computed through log-sigmoids; labels may be
/// smoothed towards 0.5.
public final class BinaryCrossentropy: Loss {
    public override class var kerasClassName: String { "BinaryCrossentropy" }
    public override class var defaultName: String { "binary_crossentropy" }

    @Hyper("from_logits") public var fromLogits = false
    @Hyper("label_smoothing", .inRange(0...1)) public var labelSmoothing = 0.0
    @Hyper("axis") public var axis = -1

    // @Component(.loss) expansion begin
    public convenience init(fromLogits: Bool = false, labelSmoothing: Double = 0.0, axis: Int = -1, reduction: Reduction = .sumOverBatchSize, name: String? = nil) {
        self.init(reduction: reduction, name: name)
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        self.didConfigure()
    }
    // @Component(.loss) expansion end

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedBinaryLabels(t, labelSmoothing)
        return LossMath.binaryCrossentropy(target: target, output: p, fromLogits: fromLogits).mean(axes: [axis])
    }
}
