/// Keras `BinaryFocalCrossentropy`: binary crossentropy scaled by the focal factor (1 − p_t)^γ,
/// where p_t = y·p + (1−y)·(1−p) uses the unclipped probability; with class balancing it is
/// further weighted by α for positives and 1 − α for negatives. Averaged along `axis`.
public final class BinaryFocalCrossentropy: Loss {
    public override class var kerasClassName: String { "BinaryFocalCrossentropy" }
    public let applyClassBalancing: Bool
    public let alpha: Double
    public let gamma: Double
    public let fromLogits: Bool
    public let labelSmoothing: Double
    public let axis: Int

    public init(applyClassBalancing: Bool = false, alpha: Double = 0.25, gamma: Double = 2.0,
                fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
                reduction: Reduction = .sumOverBatchSize, name: String = "binary_focal_crossentropy") {
        self.applyClassBalancing = applyClassBalancing
        self.alpha = alpha
        self.gamma = gamma
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "binary_focal_crossentropy",
                                    ownFields: ["apply_class_balancing", "alpha", "gamma", "from_logits",
                                                "label_smoothing", "axis"])
        let reader = fields.reader
        self.init(applyClassBalancing: try reader.bool("apply_class_balancing", default: false),
                  alpha: try reader.double("alpha", default: 0.25),
                  gamma: try reader.double("gamma", default: 2.0),
                  fromLogits: try reader.bool("from_logits", default: false),
                  labelSmoothing: try reader.double("label_smoothing", default: 0),
                  axis: try reader.int("axis", default: -1),
                  reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override var config: JSONObject {
        config(adding: ["from_logits": .bool(fromLogits), "label_smoothing": .double(labelSmoothing),
                        "axis": .int(axis), "apply_class_balancing": .bool(applyClassBalancing),
                        "alpha": .double(alpha), "gamma": .double(gamma)])
    }

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
