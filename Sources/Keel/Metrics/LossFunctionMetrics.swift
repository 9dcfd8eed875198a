extension Metrics {
    /// A Keras metric that averages a loss function's per-sample values (`keras.metrics.
    /// MeanSquaredError`, `Poisson`, `Hinge`, ...). Its config is `name` and `dtype` plus the
    /// arguments it forwards to the function, never the function itself.
    open class LossFunctionMetric: MeanMetricWrapper {
        private var loss: Loss?

        /// The loss this metric averages, made from its hyper-parameters.
        open func makeLoss() -> Loss {
            OpCheck.fail("\(type(of: self)) must override makeLoss()")
        }

        open override func didConfigure() {
            super.didConfigure()
            loss = configurationIsValid ? makeLoss() : nil
        }

        open override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
            guard let loss else { stopForInvalidConfiguration() }
            return loss.values(yTrue: yTrue, yPred: yPred)
        }

        open override var higherIsBetter: Bool { false }
    }

    /// Keras `metrics.MeanSquaredError`.
    public final class MeanSquaredError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanSquaredError" }
        public override class var defaultName: String? { "mean_squared_error" }
        public override func makeLoss() -> Loss { Keel.MeanSquaredError() }
    }

    /// Keras `metrics.MeanAbsoluteError`.
    public final class MeanAbsoluteError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanAbsoluteError" }
        public override class var defaultName: String? { "mean_absolute_error" }
        public override func makeLoss() -> Loss { Keel.MeanAbsoluteError() }
    }

    /// Keras `metrics.MeanAbsolutePercentageError`.
    public final class MeanAbsolutePercentageError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanAbsolutePercentageError" }
        public override class var defaultName: String? { "mean_absolute_percentage_error" }
        public override func makeLoss() -> Loss { Keel.MeanAbsolutePercentageError() }
    }

    /// Keras `metrics.MeanSquaredLogarithmicError`.
    public final class MeanSquaredLogarithmicError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanSquaredLogarithmicError" }
        public override class var defaultName: String? { "mean_squared_logarithmic_error" }
        public override func makeLoss() -> Loss { Keel.MeanSquaredLogarithmicError() }
    }

    /// Keras `metrics.LogCoshError` (named `logcosh` by default, as in Keras).
    public final class LogCoshError: LossFunctionMetric {
        public override class var kerasClassName: String { "LogCoshError" }
        public override class var defaultName: String? { "logcosh" }
        public override func makeLoss() -> Loss { LogCosh() }
    }

    /// Keras `metrics.KLDivergence`.
    public final class KLDivergence: LossFunctionMetric {
        public override class var kerasClassName: String { "KLDivergence" }
        public override class var defaultName: String? { "kl_divergence" }
        public override func makeLoss() -> Loss { Keel.KLDivergence() }
    }

    /// Keras `metrics.Poisson`.
    public final class Poisson: LossFunctionMetric {
        public override class var kerasClassName: String { "Poisson" }
        public override class var defaultName: String? { "poisson" }
        public override func makeLoss() -> Loss { Keel.Poisson() }
    }

    /// Keras `metrics.Hinge`.
    public final class Hinge: LossFunctionMetric {
        public override class var kerasClassName: String { "Hinge" }
        public override class var defaultName: String? { "hinge" }
        public override func makeLoss() -> Loss { Keel.Hinge() }
    }

    /// Keras `metrics.SquaredHinge`.
    public final class SquaredHinge: LossFunctionMetric {
        public override class var kerasClassName: String { "SquaredHinge" }
        public override class var defaultName: String? { "squared_hinge" }
        public override func makeLoss() -> Loss { Keel.SquaredHinge() }
    }

    /// Keras `metrics.CategoricalHinge`.
    public final class CategoricalHinge: LossFunctionMetric {
        public override class var kerasClassName: String { "CategoricalHinge" }
        public override class var defaultName: String? { "categorical_hinge" }
        public override func makeLoss() -> Loss { Keel.CategoricalHinge() }
    }

    /// Keras `metrics.CosineSimilarity`: the mean cosine similarity along `axis` (the loss's
    /// negation, so higher is better). Keras leaves `axis` out of its config.
    @Component(.metric)
    public final class CosineSimilarity: LossFunctionMetric {
        public override class var kerasClassName: String { "CosineSimilarity" }
        public override class var defaultName: String? { "cosine_similarity" }
        @Hyper("axis", written: false) public var axis = -1

        public override func makeLoss() -> Loss { Keel.CosineSimilarity(axis: axis) }

        public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor { -super.values(yTrue: yTrue, yPred: yPred) }

        public override var higherIsBetter: Bool { true }
    }
}
