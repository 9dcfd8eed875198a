/// Keras `BinaryFocalCrossentropy`: binary crossentropy scaled by the focal factor (1 − p_t)^γ,
/// where p_t = y·p + (1−y)·(1−p) uses the unclipped probability; with class balancing it is
/// further weighted by α for positives and 1 − α for negatives. Averaged along `axis`.
@Component(.loss)
public final class BinaryFocalCrossentropy: Loss {
    public override class var kerasClassName: String { "BinaryFocalCrossentropy" }
    public override class var defaultName: String { "binary_focal_crossentropy" }

    // Keras's get_config order (its constructor takes the last three first).
    @Hyper("from_logits") public var fromLogits = false
    @Hyper("label_smoothing", .inRange(0...1)) public var labelSmoothing = 0.0
    @Hyper("axis") public var axis = -1
    @Hyper("apply_class_balancing") public var applyClassBalancing = false
    @Hyper("alpha", .inRange(0...1)) public var alpha = 0.25
    @Hyper("gamma", .nonNegative) public var gamma = 2.0

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedBinaryLabels(t, labelSmoothing)
        let probability = fromLogits ? p.sigmoid() : p
        let crossentropy = LossMath.binaryCrossentropy(target: target, output: probability, fromLogits: false)
        let pT = target * probability + (1 - target) * (1 - probability)
        var focal = (1 - pT).pow(Float(gamma)) * crossentropy
        if applyClassBalancing {
            focal = focal * (target * Float(alpha) + (1 - target) * Float(1 - alpha))
        }
        return focal.mean(axes: [axis])
    }
}
