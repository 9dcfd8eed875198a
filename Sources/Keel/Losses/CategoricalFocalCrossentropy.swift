/// Keras `CategoricalFocalCrossentropy`: Σ α·(1 − p)^γ·(−y·log p) along `axis`, with p
/// renormalised and clipped as in categorical crossentropy (softmax first for logits). α is one
/// weight for every class or a list with one weight per class.
@Component(.loss)
public final class CategoricalFocalCrossentropy: Loss {
    public override class var kerasClassName: String { "CategoricalFocalCrossentropy" }
    public override class var defaultName: String { "categorical_focal_crossentropy" }

    @Hyper("from_logits") public var fromLogits = false
    @Hyper("label_smoothing", .inRange(0...1)) public var labelSmoothing = 0.0
    @Hyper("axis") public var axis = -1
    @Hyper("alpha", .nonNegativeWeights) public var alpha: ClassWeights = 0.25
    @Hyper("gamma", .nonNegative) public var gamma = 2.0

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedCategoricalLabels(t, labelSmoothing)
        let probabilities = fromLogits ? p.softmax(axis: axis) : p
        let output = LossMath.normalisedProbabilities(probabilities, axis: axis)
        let crossentropy = -target * output.log()
        let weighting = (1 - output).pow(Float(gamma)) * alpha.tensor
        return (weighting * crossentropy).sum(axes: [axis])
    }
}
