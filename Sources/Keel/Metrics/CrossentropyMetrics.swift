extension Metrics {
    /// Keras `metrics.BinaryCrossentropy`: the running mean of binary crossentropy.
    @Component(.metric)
    public final class BinaryCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "BinaryCrossentropy" }
        public override class var defaultName: String? { "binary_crossentropy" }
        @Hyper("from_logits") public var fromLogits = false
        @Hyper("label_smoothing") public var labelSmoothing = 0.0

        public override func makeLoss() -> Loss {
            Keel.BinaryCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing)
        }
    }

    /// Keras `metrics.CategoricalCrossentropy`: the running mean of categorical crossentropy.
    @Component(.metric)
    public final class CategoricalCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "CategoricalCrossentropy" }
        public override class var defaultName: String? { "categorical_crossentropy" }
        @Hyper("from_logits") public var fromLogits = false
        @Hyper("label_smoothing") public var labelSmoothing = 0.0
        @Hyper("axis") public var axis = -1

        public override func makeLoss() -> Loss {
            Keel.CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: labelSmoothing, axis: axis)
        }
    }

    /// Keras `metrics.SparseCategoricalCrossentropy`: the running mean of sparse categorical
    /// crossentropy; positions labelled `ignoreClass` count as 0, as in Keras.
    @Component(.metric)
    public final class SparseCategoricalCrossentropy: LossFunctionMetric {
        public override class var kerasClassName: String { "SparseCategoricalCrossentropy" }
        public override class var defaultName: String? { "sparse_categorical_crossentropy" }
        @Hyper("from_logits") public var fromLogits = false
        @Hyper("ignore_class") public var ignoreClass: Int? = nil
        @Hyper("axis", HyperCheck("-1 (Keel's sparse crossentropy takes the classes on the last axis)") { $0 == -1 })
        public var axis = -1

        public override func makeLoss() -> Loss {
            Keel.SparseCategoricalCrossentropy(fromLogits: fromLogits, ignoreClass: ignoreClass)
        }
    }
}
