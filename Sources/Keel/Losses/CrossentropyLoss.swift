/// What Keras's `BinaryCrossentropy` and `CategoricalCrossentropy` share: `from_logits`,
/// `label_smoothing` and `axis`, their config and their reading from a config. A subclass names
/// its Keras class and default name and computes its per-sample values.
public class CrossentropyLoss: Loss {
    class var defaultLossName: String { preconditionFailure("\(self) must name its default") }

    public let fromLogits: Bool
    public let labelSmoothing: Double
    public let axis: Int

    public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
                reduction: Reduction = .sumOverBatchSize, name: String? = nil) {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.axis = axis
        super.init(name: name ?? Self.defaultLossName, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: Self.defaultLossName,
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
}
