/// Keras `BinaryCrossentropy`: −[y·log p + (1−y)·log(1−p)] averaged along `axis`, with
/// probabilities clipped to [ε, 1−ε] or, for logits, computed through log-sigmoids; labels may be
/// smoothed towards 0.5.
public final class BinaryCrossentropy: Loss {
    public override class var kerasClassName: String { "BinaryCrossentropy" }
    public let fromLogits: Bool
    public let labelSmoothing: Double
    public let axis: Int

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
                reduction: Reduction = .sumOverBatchSize, name: String = "binary_crossentropy") {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "binary_crossentropy",
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
        let target = LossMath.smoothedBinaryLabels(t, labelSmoothing)
        return LossMath.binaryCrossentropy(target: target, output: p, fromLogits: fromLogits).mean(axes: [axis])
    }
}
