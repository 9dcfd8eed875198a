extension Metrics {
    /// A Keras metric that averages a loss function's per-sample values (`keras.metrics.
    /// MeanSquaredError`, `Poisson`, `Hinge`, ...). Its config is `name` and `dtype` plus the
    /// arguments it forwards to the function, never the function itself.
    open class LossFunctionMetric: MeanMetricWrapper {
        /// Averages the per-sample values of `loss` under `name`.
        public init(averaging loss: Loss, name: String) {
            super.init(loss: loss, arguments: JSONObject(), name: name)
        }

        open override var config: JSONObject { config(adding: [:]) }
    }

    /// Keras `metrics.MeanSquaredError`.
    public final class MeanSquaredError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanSquaredError" }
        public init(name: String = "mean_squared_error") {
            super.init(averaging: Keel.MeanSquaredError(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "MeanSquaredError").name ?? "mean_squared_error")
        }
    }

    /// Keras `metrics.MeanAbsoluteError`.
    public final class MeanAbsoluteError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanAbsoluteError" }
        public init(name: String = "mean_absolute_error") {
            super.init(averaging: Keel.MeanAbsoluteError(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "MeanAbsoluteError").name ?? "mean_absolute_error")
        }
    }

    /// Keras `metrics.MeanAbsolutePercentageError`.
    public final class MeanAbsolutePercentageError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanAbsolutePercentageError" }
        public init(name: String = "mean_absolute_percentage_error") {
            super.init(averaging: Keel.MeanAbsolutePercentageError(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "MeanAbsolutePercentageError")
            self.init(name: fields.name ?? "mean_absolute_percentage_error")
        }
    }

    /// Keras `metrics.MeanSquaredLogarithmicError`.
    public final class MeanSquaredLogarithmicError: LossFunctionMetric {
        public override class var kerasClassName: String { "MeanSquaredLogarithmicError" }
        public init(name: String = "mean_squared_logarithmic_error") {
            super.init(averaging: Keel.MeanSquaredLogarithmicError(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "MeanSquaredLogarithmicError")
            self.init(name: fields.name ?? "mean_squared_logarithmic_error")
        }
    }

    /// Keras `metrics.LogCoshError` (named `logcosh` by default, as in Keras).
    public final class LogCoshError: LossFunctionMetric {
        public override class var kerasClassName: String { "LogCoshError" }
        public init(name: String = "logcosh") {
            super.init(averaging: LogCosh(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "LogCoshError").name ?? "logcosh")
        }
    }

    /// Keras `metrics.KLDivergence`.
    public final class KLDivergence: LossFunctionMetric {
        public override class var kerasClassName: String { "KLDivergence" }
        public init(name: String = "kl_divergence") {
            super.init(averaging: Keel.KLDivergence(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "KLDivergence").name ?? "kl_divergence")
        }
    }

    /// Keras `metrics.Poisson`.
    public final class Poisson: LossFunctionMetric {
        public override class var kerasClassName: String { "Poisson" }
        public init(name: String = "poisson") {
            super.init(averaging: Keel.Poisson(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "Poisson").name ?? "poisson")
        }
    }

    /// Keras `metrics.Hinge`.
    public final class Hinge: LossFunctionMetric {
        public override class var kerasClassName: String { "Hinge" }
        public init(name: String = "hinge") {
            super.init(averaging: Keel.Hinge(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "Hinge").name ?? "hinge")
        }
    }

    /// Keras `metrics.SquaredHinge`.
    public final class SquaredHinge: LossFunctionMetric {
        public override class var kerasClassName: String { "SquaredHinge" }
        public init(name: String = "squared_hinge") {
            super.init(averaging: Keel.SquaredHinge(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "SquaredHinge").name ?? "squared_hinge")
        }
    }

    /// Keras `metrics.CategoricalHinge`.
    public final class CategoricalHinge: LossFunctionMetric {
        public override class var kerasClassName: String { "CategoricalHinge" }
        public init(name: String = "categorical_hinge") {
            super.init(averaging: Keel.CategoricalHinge(), name: name)
        }
        public convenience init(config: JSONObject) throws {
            self.init(name: try MetricConfig(config, className: "CategoricalHinge").name ?? "categorical_hinge")
        }
    }

    /// Keras `metrics.CosineSimilarity`: the mean cosine similarity along `axis` (the loss's
    /// negation, so higher is better).
    public final class CosineSimilarity: MeanMetricWrapper {
        public override class var kerasClassName: String { "CosineSimilarity" }
        public let axis: Int

        public init(axis: Int = -1, name: String = "cosine_similarity") {
            self.axis = axis
            let loss = Keel.CosineSimilarity(axis: axis)
            super.init(name: name) { -loss.values(yTrue: $0, yPred: $1) }
        }

        public convenience init(config: JSONObject) throws {
            let fields = try MetricConfig(config, className: "CosineSimilarity", ownFields: ["axis"])
            self.init(axis: try fields.reader.int("axis", default: -1), name: fields.name ?? "cosine_similarity")
        }

        public override var config: JSONObject { config(adding: ["axis": .int(axis)]) }
    }
}
