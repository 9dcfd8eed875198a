/// The seed project's focal loss: per element −α(1−p)^γ·log p where y = 1 and
/// −(1−α)·p^γ·log(1−p) where y = 0, summed over the last axis and averaged over the batch. No
/// clipping. Equal to Keras's `BinaryFocalCrossentropy(apply_class_balancing=True)` times the
/// number of columns. Its config is just `{alpha, gamma}`.
public final class FocalLoss: Loss {
    public override class var kerasClassName: String { "FocalLoss" }
    public let alpha: Double
    public let gamma: Double

    public init(alpha: Double = 0.75, gamma: Double = 2.0) {
        self.alpha = alpha
        self.gamma = gamma
        super.init(name: "focal_loss", reduction: .sumOverBatchSize)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: Self.kerasClassName)
        if let unknown = config.keys.first(where: { $0 != "alpha" && $0 != "gamma" }) {
            throw KeelError("\(Self.kerasClassName): field '\(unknown)'", expected: "alpha or gamma",
                            found: "an argument FocalLoss does not take")
        }
        self.init(alpha: try reader.double("alpha", default: 0.75), gamma: try reader.double("gamma", default: 2.0))
    }

    public override var config: JSONObject { ["alpha": .double(alpha), "gamma": .double(gamma)] }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (y, p) = LossMath.aligned(yTrue, yPred)
        let g = Float(gamma)
        let positive = (1 - p).pow(g) * p.log() * Float(-alpha)
        let negative = p.pow(g) * (1 - p).log() * Float(-(1 - alpha))
        // Blending by the label (rather than selecting) keeps soft labels meaningful.
        return (y * positive + (1 - y) * negative).sum(axes: [-1])
    }
}
