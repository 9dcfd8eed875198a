/// Registers Keel's built-in losses under their Keras class names and the string aliases of
/// Keras's `keras.losses.get` (its function names, the short `mse`/`MAE`/... forms, and the
/// legacy `logcosh`/`kullback_leibler_divergence`).
enum BuiltInLosses {
    static func register(_ registry: Registry<Loss>) throws {
        func add(_ className: String, _ aliases: [String], _ make: @escaping (JSONObject) throws -> Loss) throws {
            try registry.register(className, aliases: aliases, make: make)
        }
        try add("MeanSquaredError", ["mean_squared_error", "mse", "MSE"]) { try MeanSquaredError(config: $0) }
        try add("MeanAbsoluteError", ["mean_absolute_error", "mae", "MAE"]) { try MeanAbsoluteError(config: $0) }
        try add("MeanAbsolutePercentageError", ["mean_absolute_percentage_error", "mape", "MAPE"]) {
            try MeanAbsolutePercentageError(config: $0)
        }
        try add("MeanSquaredLogarithmicError", ["mean_squared_logarithmic_error", "msle", "MSLE"]) {
            try MeanSquaredLogarithmicError(config: $0)
        }
        try add("Huber", ["huber"]) { try Huber(config: $0) }
        try add("LogCosh", ["log_cosh", "logcosh"]) { try LogCosh(config: $0) }
        try add("CosineSimilarity", ["cosine_similarity"]) { try CosineSimilarity(config: $0) }
        try add("BinaryCrossentropy", ["binary_crossentropy", "bce", "BCE"]) { try BinaryCrossentropy(config: $0) }
        try add("CategoricalCrossentropy", ["categorical_crossentropy"]) { try CategoricalCrossentropy(config: $0) }
        try add("SparseCategoricalCrossentropy", ["sparse_categorical_crossentropy"]) {
            try SparseCategoricalCrossentropy(config: $0)
        }
        try add("BinaryFocalCrossentropy", ["binary_focal_crossentropy"]) { try BinaryFocalCrossentropy(config: $0) }
        try add("CategoricalFocalCrossentropy", ["categorical_focal_crossentropy"]) {
            try CategoricalFocalCrossentropy(config: $0)
        }
        try add("KLDivergence", ["kl_divergence", "kld", "KLD", "kullback_leibler_divergence"]) {
            try KLDivergence(config: $0)
        }
        try add("Poisson", ["poisson"]) { try Poisson(config: $0) }
        try add("Hinge", ["hinge"]) { try Hinge(config: $0) }
        try add("SquaredHinge", ["squared_hinge"]) { try SquaredHinge(config: $0) }
        try add("CategoricalHinge", ["categorical_hinge"]) { try CategoricalHinge(config: $0) }
        try add("FocalLoss", []) { try FocalLoss(config: $0) }
    }
}
