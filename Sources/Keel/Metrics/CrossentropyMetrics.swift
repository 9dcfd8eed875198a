extension Metrics {
    /// Keras `metrics.BinaryCrossentropy`: the running mean of binary crossentropy.
    public final class BinaryCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "BinaryCrossentropy" }
        public let fromLogits: Bool
        public let labelSmoothing: Double

        public init(fromLogits: Bool = false, labelSmoothing: Double = 0, name: String = "binary_crossentropy") {
            self.fromLogits = fromLogits
            self.labelSmoothing = labelSmoothing
            super.init(averaging: Keel.BinaryCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing), name: name)
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "BinaryCrossentropy",
                                          ownFields: ["from_logits", "label_smoothing"])
            self.init(fromLogits: try fields.reader.bool("from_logits", default: false),
                      labelSmoothing: try fields.reader.double("label_smoothing", default: 0),
                      name: fields.name ?? "binary_crossentropy")
        }

        public override var config: JSONObject {
            config(adding: ["from_logits": .bool(fromLogits), "label_smoothing": .double(labelSmoothing)])
        }
    }

    /// Keras `metrics.CategoricalCrossentropy`: the running mean of categorical crossentropy.
    public final class CategoricalCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "CategoricalCrossentropy" }
        public let fromLogits: Bool
        public let labelSmoothing: Double
        public let axis: Int

        public init(fromLogits: Bool = false, labelSmoothing: Double = 0, axis: Int = -1,
                    name: String = "categorical_crossentropy") {
            self.fromLogits = fromLogits
            self.labelSmoothing = labelSmoothing
            self.axis = axis
            super.init(averaging: Keel.CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing,
                                                          axis: axis), name: name)
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "CategoricalCrossentropy",
                                          ownFields: ["from_logits", "label_smoothing", "axis"])
            self.init(fromLogits: try fields.reader.bool("from_logits", default: false),
                      labelSmoothing: try fields.reader.double("label_smoothing", default: 0),
                      axis: try fields.reader.int("axis", default: -1),
                      name: fields.name ?? "categorical_crossentropy")
        }

        public override var config: JSONObject {
            config(adding: ["from_logits": .bool(fromLogits), "label_smoothing": .double(labelSmoothing),
                            "axis": .int(axis)])
        }
    }

    /// Keras `metrics.SparseCategoricalCrossentropy`: the running mean of sparse categorical
    /// crossentropy. Keras accepts an `axis` here; its function only supports the last axis.
    public final class SparseCategoricalCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "SparseCategoricalCrossentropy" }
        public let fromLogits: Bool
        public let axis: Int

        public init(fromLogits: Bool = false, axis: Int = -1, name: String = "sparse_categorical_crossentropy") {
            self.fromLogits = fromLogits
            self.axis = axis
            super.init(averaging: Keel.SparseCategoricalCrossentropy(fromLogits: fromLogits), name: name)
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "SparseCategoricalCrossentropy",
                                          ownFields: ["from_logits", "axis"])
            self.init(fromLogits: try fields.reader.bool("from_logits", default: false),
                      axis: try fields.reader.int("axis", default: -1),
                      name: fields.name ?? "sparse_categorical_crossentropy")
        }

        public override var config: JSONObject { config(adding: ["from_logits": .bool(fromLogits), "axis": .int(axis)]) }
    }
}
