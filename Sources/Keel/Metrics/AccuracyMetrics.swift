extension Metrics {
    /// Keras `Accuracy`: how often predictions equal labels exactly.
    public final class Accuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "Accuracy" }
        public override class var defaultName: String? { "accuracy" }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.accuracy(yTrue, yPred)
        }
    }

    /// Keras `BinaryAccuracy`: how often `y_pred > threshold` matches the 0/1 label.
    @Component(.metric)
    public final class BinaryAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "BinaryAccuracy" }
        public override class var defaultName: String? { "binary_accuracy" }
        @Hyper("threshold") public var threshold = 0.5

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.binaryAccuracy(yTrue, yPred, threshold: Float(threshold))
        }
    }

    /// Keras `CategoricalAccuracy`: how often the argmax of the prediction is the one-hot label's.
    public final class CategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "CategoricalAccuracy" }
        public override class var defaultName: String? { "categorical_accuracy" }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.categoricalAccuracy(yTrue, yPred)
        }
    }

    /// Keras `SparseCategoricalAccuracy`: how often the argmax of the prediction is the integer label.
    public final class SparseCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "SparseCategoricalAccuracy" }
        public override class var defaultName: String? { "sparse_categorical_accuracy" }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.sparseCategoricalAccuracy(yTrue, yPred)
        }
    }

    /// Keras `TopKCategoricalAccuracy`: how often the one-hot label is among the `k` top predictions.
    @Component(.metric)
    public final class TopKCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "TopKCategoricalAccuracy" }
        public override class var defaultName: String? { "top_k_categorical_accuracy" }
        @Hyper("k", .positive) public var k = 5

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.topKCategoricalAccuracy(yTrue, yPred, k: k)
        }
    }

    /// Keras `SparseTopKCategoricalAccuracy`: how often the integer label is among the `k` top predictions.
    @Component(.metric)
    public final class SparseTopKCategoricalAccuracy: MeanMetricWrapper {
        public override class var kerasClassName: String { "SparseTopKCategoricalAccuracy" }
        public override class var defaultName: String? { "sparse_top_k_categorical_accuracy" }
        @Hyper("k", .positive) public var k = 5

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            AccuracyFunctions.sparseTopKCategoricalAccuracy(yTrue, yPred, k: k)
        }
    }
}
