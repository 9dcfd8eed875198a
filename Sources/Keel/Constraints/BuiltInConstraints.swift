/// Registers Keel's built-in Constraints under their Keras class names and the snake_case
/// aliases Keras's `constraints.get` accepts; plugins add theirs with `register`.
enum BuiltInConstraints {
    static func register(_ registry: Registry<Constraint>) throws {
        try registry.register(MaxNorm.self, aliases: ["max_norm"])
        try registry.register(MinMaxNorm.self, aliases: ["min_max_norm"])
        try registry.register(NonNeg.self, aliases: ["non_neg"])
        try registry.register(UnitNorm.self, aliases: ["unit_norm"])
    }
}
