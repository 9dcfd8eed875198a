/// Registers Keel's built-in metrics as Keras's `keras.metrics.get` knows them: each class name,
/// its snake_case form (`auc`, `top_k_categorical_accuracy`, ...), the short `mse`/`MAE`/`bce`/...
/// forms, and `acc` for `Accuracy`. (`"accuracy"`/`"acc"` in `compile` are resolved from the
/// data's shapes by `Metrics.resolve`.)
enum BuiltInMetrics {
    static func register(_ registry: Registry<Metric>) throws {
        func add(_ type: Metric.Type, _ extraAliases: [String] = [],
                 _ make: @escaping (JSONObject) throws -> Metric) throws {
            let className = type.kerasClassName
            try registry.register(className, aliases: [Naming.snakeCase(className)] + extraAliases, make: make)
        }
        try add(Metrics.Mean.self) { try Metrics.Mean(config: $0) }
        try add(Metrics.Sum.self) { try Metrics.Sum(config: $0) }
        try add(Metrics.MeanMetricWrapper.self) { try Metrics.MeanMetricWrapper(config: $0) }

        try add(Metrics.MeanSquaredError.self, ["mse", "MSE"]) { try Metrics.MeanSquaredError(config: $0) }
        try add(Metrics.RootMeanSquaredError.self) { try Metrics.RootMeanSquaredError(config: $0) }
        try add(Metrics.MeanAbsoluteError.self, ["mae", "MAE"]) { try Metrics.MeanAbsoluteError(config: $0) }
        try add(Metrics.MeanAbsolutePercentageError.self, ["mape", "MAPE"]) {
            try Metrics.MeanAbsolutePercentageError(config: $0)
        }
        try add(Metrics.MeanSquaredLogarithmicError.self, ["msle", "MSLE"]) {
            try Metrics.MeanSquaredLogarithmicError(config: $0)
        }
        try add(Metrics.CosineSimilarity.self) { try Metrics.CosineSimilarity(config: $0) }
        try add(Metrics.LogCoshError.self) { try Metrics.LogCoshError(config: $0) }

        try add(Metrics.AUC.self) { try Metrics.AUC(config: $0) }
        try add(Metrics.Precision.self) { try Metrics.Precision(config: $0) }
        try add(Metrics.Recall.self) { try Metrics.Recall(config: $0) }
        try add(Metrics.TruePositives.self) { try Metrics.TruePositives(config: $0) }
        try add(Metrics.FalsePositives.self) { try Metrics.FalsePositives(config: $0) }
        try add(Metrics.TrueNegatives.self) { try Metrics.TrueNegatives(config: $0) }
        try add(Metrics.FalseNegatives.self) { try Metrics.FalseNegatives(config: $0) }

        try add(Metrics.Hinge.self) { try Metrics.Hinge(config: $0) }
        try add(Metrics.SquaredHinge.self) { try Metrics.SquaredHinge(config: $0) }
        try add(Metrics.CategoricalHinge.self) { try Metrics.CategoricalHinge(config: $0) }

        try add(Metrics.KLDivergence.self) { try Metrics.KLDivergence(config: $0) }
        try add(Metrics.Poisson.self) { try Metrics.Poisson(config: $0) }
        try add(Metrics.BinaryCrossentropy.self, ["bce", "BCE"]) { try Metrics.BinaryCrossentropy(config: $0) }
        try add(Metrics.CategoricalCrossentropy.self) { try Metrics.CategoricalCrossentropy(config: $0) }
        try add(Metrics.SparseCategoricalCrossentropy.self) { try Metrics.SparseCategoricalCrossentropy(config: $0) }

        try add(Metrics.Accuracy.self, ["acc"]) { try Metrics.Accuracy(config: $0) }
        try add(Metrics.BinaryAccuracy.self) { try Metrics.BinaryAccuracy(config: $0) }
        try add(Metrics.CategoricalAccuracy.self) { try Metrics.CategoricalAccuracy(config: $0) }
        try add(Metrics.SparseCategoricalAccuracy.self) { try Metrics.SparseCategoricalAccuracy(config: $0) }
        try add(Metrics.TopKCategoricalAccuracy.self) { try Metrics.TopKCategoricalAccuracy(config: $0) }
        try add(Metrics.SparseTopKCategoricalAccuracy.self) { try Metrics.SparseTopKCategoricalAccuracy(config: $0) }
    }
}
