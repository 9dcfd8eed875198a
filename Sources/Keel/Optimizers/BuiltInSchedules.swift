/// Registers Keel's built-in LearningRateSchedules under their Keras class names
/// (`keras.optimizers.schedules`).
enum BuiltInSchedules {
    static func register(_ registry: Registry<LearningRateSchedule>) throws {
        try registry.register("ExponentialDecay") { try ExponentialDecay(config: $0) }
        try registry.register("PiecewiseConstantDecay") { try PiecewiseConstantDecay(config: $0) }
        try registry.register("PolynomialDecay") { try PolynomialDecay(config: $0) }
        try registry.register("InverseTimeDecay") { try InverseTimeDecay(config: $0) }
        try registry.register("CosineDecay") { try CosineDecay(config: $0) }
        try registry.register("CosineDecayRestarts") { try CosineDecayRestarts(config: $0) }
    }
}
