/// Registers Keel's built-in metrics as Keras's `keras.metrics.get` knows them: each class name,
/// its snake_case form (`auc`, `top_k_categorical_accuracy`, ...), the short `mse`/`MAE`/`bce`/...
/// forms, and `acc` for `Accuracy`. (`"accuracy"`/`"acc"` in `compile` are resolved from the
/// data's shapes by `Metrics.resolve`.)
enum BuiltInMetrics {
    static func register(_ registry: Registry<Metric>) throws {
        func add<T: Metric>(_ type: T.Type, aliases: [String] = []) throws {
            try registry.register(type, aliases: [Naming.snakeCase(T.kerasClassName)] + aliases)
        }
        try add(Metrics.Mean.self)
        try add(Metrics.Sum.self)
        try add(Metrics.MeanMetricWrapper.self)

        try add(Metrics.MeanSquaredError.self, aliases: ["mse", "MSE"])
        try add(Metrics.RootMeanSquaredError.self)
        try add(Metrics.MeanAbsoluteError.self, aliases: ["mae", "MAE"])
        try add(Metrics.MeanAbsolutePercentageError.self, aliases: ["mape", "MAPE"])
        try add(Metrics.MeanSquaredLogarithmicError.self, aliases: ["msle", "MSLE"])
        try add(Metrics.CosineSimilarity.self)
        try add(Metrics.LogCoshError.self)

        try add(Metrics.AUC.self)
        try add(Metrics.Precision.self)
        try add(Metrics.Recall.self)
        try add(Metrics.TruePositives.self)
        try add(Metrics.FalsePositives.self)
        try add(Metrics.TrueNegatives.self)
        try add(Metrics.FalseNegatives.self)

        try add(Metrics.Hinge.self)
        try add(Metrics.SquaredHinge.self)
        try add(Metrics.CategoricalHinge.self)

        try add(Metrics.KLDivergence.self)
        try add(Metrics.Poisson.self)
        try add(Metrics.BinaryCrossentropy.self, aliases: ["bce", "BCE"])
        try add(Metrics.CategoricalCrossentropy.self)
        try add(Metrics.SparseCategoricalCrossentropy.self)

        try add(Metrics.Accuracy.self, aliases: ["acc"])
        try add(Metrics.BinaryAccuracy.self)
        try add(Metrics.CategoricalAccuracy.self)
        try add(Metrics.SparseCategoricalAccuracy.self)
        try add(Metrics.TopKCategoricalAccuracy.self)
        try add(Metrics.SparseTopKCategoricalAccuracy.self)

        try add(Metrics.F1Score.self)
        try add(Metrics.FBetaScore.self)
        try add(Metrics.R2Score.self)
        try add(Metrics.IoU.self)
        try add(Metrics.MeanIoU.self)
        try add(Metrics.BinaryIoU.self)
        try add(Metrics.OneHotIoU.self)
        try add(Metrics.OneHotMeanIoU.self)
        try add(Metrics.PearsonCorrelation.self)
        try add(Metrics.ConcordanceCorrelation.self)
        try add(Metrics.PrecisionAtRecall.self)
        try add(Metrics.RecallAtPrecision.self)
        try add(Metrics.SensitivityAtSpecificity.self)
        try add(Metrics.SpecificityAtSensitivity.self)
    }
}
