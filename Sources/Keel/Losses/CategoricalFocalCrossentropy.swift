/// Keras `CategoricalFocalCrossentropy`: Σ α·(1 − p)^γ·(−y·log p) along `axis`, with p
/// renormalised and clipped as in categorical crossentropy (softmax first for logits). α is one
/// weight for every class or a list with one weight per class.
public final class CategoricalFocalCrossentropy: Loss {
    public override class var kerasClassName: String { "CategoricalFocalCrossentropy" }
    /// One weight for all classes, or one per class (the last axis).
    public let alpha: [Double]
    public let alphaIsPerClass: Bool
    public let gamma: Double
    public let fromLogits: Bool
    public let labelSmoothing: Double
    public let axis: Int

    public init(alpha: Double = 0.25, gamma: Double = 2.0, fromLogits: Bool = false, labelSmoothing: Double = 0,
                axis: Int = -1, reduction: Reduction = .sumOverBatchSize,
                name: String = "categorical_focal_crossentropy") {
        self.alpha = [alpha]
        self.alphaIsPerClass = false
        self.gamma = gamma
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public init(classWeights alpha: [Double], gamma: Double = 2.0, fromLogits: Bool = false,
                labelSmoothing: Double = 0, axis: Int = -1, reduction: Reduction = .sumOverBatchSize,
                name: String = "categorical_focal_crossentropy") {
        self.alpha = alpha
        self.alphaIsPerClass = true
        self.gamma = gamma
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName,
                                    defaultName: "categorical_focal_crossentropy",
                                    ownFields: ["alpha", "gamma", "from_logits", "label_smoothing", "axis"])
        let reader = fields.reader
        let gamma = try reader.double("gamma", default: 2.0)
        let fromLogits = try reader.bool("from_logits", default: false)
        let labelSmoothing = try reader.double("label_smoothing", default: 0)
        let axis = try reader.int("axis", default: -1)
        if reader.value("alpha")?.arrayValue != nil {
            self.init(classWeights: try reader.doubles("alpha"), gamma: gamma, fromLogits: fromLogits,
                      labelSmoothing: labelSmoothing, axis: axis, reduction: fields.reduction, name: fields.name)
        } else {
            self.init(alpha: try reader.double("alpha", default: 0.25), gamma: gamma, fromLogits: fromLogits,
                      labelSmoothing: labelSmoothing, axis: axis, reduction: fields.reduction, name: fields.name)
        }
        reductionIsNull = fields.reductionIsNull
    }

    public override var config: JSONObject {
        let alphaValue: JSONValue = alphaIsPerClass ? .array(alpha.map { .double($0) }) : .double(alpha[0])
        return config(adding: ["from_logits": .bool(fromLogits), "label_smoothing": .double(labelSmoothing),
                               "axis": .int(axis), "alpha": alphaValue, "gamma": .double(gamma)])
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedCategoricalLabels(t, labelSmoothing)
        let probabilities = fromLogits ? p.softmax(axis: axis) : p
        let output = LossMath.normalisedProbabilities(probabilities, axis: axis)
        let crossentropy = -target * output.log()
        let weighting = (1 - output).pow(Float(gamma)) * alphaTensor
        return (weighting * crossentropy).sum(axes: [axis])
    }

    private var alphaTensor: Tensor {
        alphaIsPerClass ? Tensor(shape: [alpha.count], scalars: alpha.map { Float($0) }) : Tensor(Float(alpha[0]))
    }
}
