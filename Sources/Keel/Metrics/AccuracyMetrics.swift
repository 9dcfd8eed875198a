extension Metrics {
    /// Keras `Accuracy`: how often predictions equal labels exactly.
    public final class Accuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "Accuracy" }

        public init(name: String = "accuracy") {
            super.init(name: name, function: AccuracyFunctions.accuracy)
        }

        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "Accuracy").name ?? "accuracy")
        }
    }

    /// Keras `BinaryAccuracy`: how often `y_pred > threshold` matches the 0/1 label.
    public final class BinaryAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "BinaryAccuracy" }
        public let threshold: Double

        public init(threshold: Double = 0.5, name: String = "binary_accuracy") {
            self.threshold = threshold
            let bound = Float(threshold)
            super.init(name: name) { AccuracyFunctions.binaryAccuracy($0, $1, threshold: bound) }
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "BinaryAccuracy", ownFields: ["threshold"])
            self.init(threshold: try fields.reader.double("threshold", default: 0.5),
                      name: fields.name ?? "binary_accuracy")
        }

        public override var config: JSONObject { config(adding: ["threshold": .double(threshold)]) }
    }

    /// Keras `CategoricalAccuracy`: how often the argmax of the prediction is the one-hot label's.
    public final class CategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "CategoricalAccuracy" }

        public init(name: String = "categorical_accuracy") {
            super.init(name: name, function: AccuracyFunctions.categoricalAccuracy)
        }

        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "CategoricalAccuracy").name ?? "categorical_accuracy")
        }
    }

    /// Keras `SparseCategoricalAccuracy`: how often the argmax of the prediction is the integer label.
    public final class SparseCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "SparseCategoricalAccuracy" }

        public init(name: String = "sparse_categorical_accuracy") {
            super.init(name: name, function: AccuracyFunctions.sparseCategoricalAccuracy)
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "SparseCategoricalAccuracy")
            self.init(name: fields.name ?? "sparse_categorical_accuracy")
        }
    }

    /// Keras `TopKCategoricalAccuracy`: how often the one-hot label is among the `k` top predictions.
    public final class TopKCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "TopKCategoricalAccuracy" }
        public let k: Int

        public init(k: Int = 5, name: String = "top_k_categorical_accuracy") {
            self.k = k
            super.init(name: name) { AccuracyFunctions.topKCategoricalAccuracy($0, $1, k: k) }
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "TopKCategoricalAccuracy", ownFields: ["k"])
            self.init(k: try fields.reader.int("k", default: 5), name: fields.name ?? "top_k_categorical_accuracy")
        }

        public override var config: JSONObject { config(adding: ["k": .int(k)]) }
    }

    /// Keras `SparseTopKCategoricalAccuracy`: how often the integer label is among the `k` top predictions.
    public final class SparseTopKCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "SparseTopKCategoricalAccuracy" }
        public let k: Int

        public init(k: Int = 5, name: String = "sparse_top_k_categorical_accuracy") {
            self.k = k
            super.init(name: name) { AccuracyFunctions.sparseTopKCategoricalAccuracy($0, $1, k: k) }
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "SparseTopKCategoricalAccuracy", ownFields: ["k"])
            self.init(k: try fields.reader.int("k", default: 5),
                      name: fields.name ?? "sparse_top_k_categorical_accuracy")
        }

        public override var config: JSONObject { config(adding: ["k": .int(k)]) }
    }
}
