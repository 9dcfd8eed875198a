/// Registers Keel's built-in losses under their Keras class names and the string aliases of
/// Keras's `keras.losses.get` (its function names, the short `mse`/`MAE`/... forms, and the
/// legacy `logcosh`/`kullback_leibler_divergence`).
enum BuiltInLosses {
    static func register(_ registry: Registry<Loss>) throws {
        try registry.register(MeanSquaredError.self, aliases: ["mean_squared_error", "mse", "MSE"])
        try registry.register(MeanAbsoluteError.self, aliases: ["mean_absolute_error", "mae", "MAE"])
        try registry.register(MeanAbsolutePercentageError.self, aliases: ["mean_absolute_percentage_error", "mape", "MAPE"])
        try registry.register(MeanSquaredLogarithmicError.self, aliases: ["mean_squared_logarithmic_error", "msle", "MSLE"])
        try registry.register(Huber.self, aliases: ["huber"])
        try registry.register(LogCosh.self, aliases: ["log_cosh", "logcosh"])
        try registry.register(CosineSimilarity.self, aliases: ["cosine_similarity"])
        try registry.register(BinaryCrossentropy.self, aliases: ["binary_crossentropy", "bce", "BCE"])
        try registry.register(CategoricalCrossentropy.self, aliases: ["categorical_crossentropy"])
        try registry.register(SparseCategoricalCrossentropy.self, aliases: ["sparse_categorical_crossentropy"])
        try registry.register(BinaryFocalCrossentropy.self, aliases: ["binary_focal_crossentropy"])
        try registry.register(CategoricalFocalCrossentropy.self, aliases: ["categorical_focal_crossentropy"])
        try registry.register(KLDivergence.self, aliases: ["kl_divergence", "kld", "KLD", "kullback_leibler_divergence"])
        try registry.register(Poisson.self, aliases: ["poisson"])
        try registry.register(Hinge.self, aliases: ["hinge"])
        try registry.register(SquaredHinge.self, aliases: ["squared_hinge"])
        try registry.register(CategoricalHinge.self, aliases: ["categorical_hinge"])
        try registry.register(FocalLoss.self)
        try registry.register(Dice.self, aliases: ["dice"])
        try registry.register(Tversky.self, aliases: ["tversky"])
        try registry.register(Circle.self, aliases: ["circle"])
        try registry.register(CTC.self, aliases: ["ctc"])
        try registry.register(CategoricalGeneralizedCrossEntropy.self, aliases: ["categorical_generalized_cross_entropy"])
    }
}
