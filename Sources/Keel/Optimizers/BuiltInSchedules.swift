/// Registers Keel's built-in LearningRateSchedules under their Keras class names
/// (`keras.optimizers.schedules`).
enum BuiltInSchedules {
    static func register(_ registry: Registry<LearningRateSchedule>) throws {
        try registry.register(ExponentialDecay.self)
        try registry.register(PiecewiseConstantDecay.self)
        try registry.register(PolynomialDecay.self)
        try registry.register(InverseTimeDecay.self)
        try registry.register(CosineDecay.self)
        try registry.register(CosineDecayRestarts.self)
    }
}
