/// Keras `CategoricalCrossentropy`: −Σ y·log p along `axis`, for one-hot or soft labels. Rows of
/// probabilities that do not sum to one are renormalised before clipping to [ε, 1−ε]; logits go
/// through log-softmax. Labels may be smoothed towards uniform.
public final class CategoricalCrossentropy: Loss {
    public override class var kerasClassName: String { "CategoricalCrossentropy" }
    public let fromLogits: Bool
    public let labelSmoothing: Double
    public let axis: Int

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
                reduction: Reduction = .sumOverBatchSize, name: String = "categorical_crossentropy") {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "categorical_crossentropy",
                                    ownFields: ["from_logits", "label_smoothing", "axis"])
        let reader = fields.reader
        self.init(fromLogits: try reader.bool("from_logits", default: false),
                  labelSmoothing: try reader.double("label_smoothing", default: 0),
                  axis: try reader.int("axis", default: -1),
                  reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override var config: JSONObject {
        config(adding: ["from_logits": .bool(fromLogits), "label_smoothing": .double(labelSmoothing),
                        "axis": .int(axis)])
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let target = LossMath.smoothedCategoricalLabels(t, labelSmoothing)
        return LossMath.categoricalCrossentropy(target: target, output: p, fromLogits: fromLogits, axis: axis)
    }
}
