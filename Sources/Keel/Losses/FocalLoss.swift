/// The seed project's focal loss: per element −α(1−p)^γ·log p where y = 1 and
/// −(1−α)·p^γ·log(1−p) where y = 0, summed over the last axis and averaged over the batch. No
/// clipping. Equal to Keras's `BinaryFocalCrossentropy(apply_class_balancing=True)` times the
/// number of columns. Its config is just `{alpha, gamma}`.
@Component(.loss)
public final class FocalLoss: Loss {
    public override class var kerasClassName: String { "FocalLoss" }
    public override class var defaultName: String { "focal_loss" }
    public override class var configHasNameAndReduction: Bool { false }

    @Hyper("alpha", .inRange(0...1)) public var alpha = 0.75
    @Hyper("gamma", .nonNegative) public var gamma = 2.0

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (y, p) = LossMath.aligned(yTrue, yPred)
        let g = Float(gamma)
        let positive = (1 - p).pow(g) * p.log() * Float(-alpha)
        let negative = p.pow(g) * (1 - p).log() * Float(-(1 - alpha))
        // Blending by the label (rather than selecting) keeps soft labels meaningful.
        return (y * positive + (1 - y) * negative).sum(axes: [-1])
    }
}
