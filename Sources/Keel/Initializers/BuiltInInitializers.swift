/// Registers Keel's built-in Initializers under their Keras class names and the aliases Keras's
/// `initializers.get` accepts (snake_case names plus "normal", "uniform", "one", "zero").
enum BuiltInInitializers {
    static func register(_ registry: Registry<Initializer>) throws {
        try registry.register("Zeros", aliases: ["zeros", "zero"]) { try Zeros(config: $0) }
        try registry.register("Ones", aliases: ["ones", "one"]) { try Ones(config: $0) }
        try registry.register("Constant", aliases: ["constant"]) { try Constant(config: $0) }
        try registry.register("Identity", aliases: ["identity", "IdentityInitializer"]) { try Identity(config: $0) }
        try registry.register("RandomNormal", aliases: ["random_normal", "normal"]) { try RandomNormal(config: $0) }
        try registry.register("RandomUniform", aliases: ["random_uniform", "uniform"]) { try RandomUniform(config: $0) }
        try registry.register("TruncatedNormal", aliases: ["truncated_normal"]) { try TruncatedNormal(config: $0) }
        try registry.register("VarianceScaling", aliases: ["variance_scaling"]) { try VarianceScaling(config: $0) }
        try registry.register("GlorotUniform", aliases: ["glorot_uniform"]) { try GlorotUniform(config: $0) }
        try registry.register("GlorotNormal", aliases: ["glorot_normal"]) { try GlorotNormal(config: $0) }
        try registry.register("HeNormal", aliases: ["he_normal"]) { try HeNormal(config: $0) }
        try registry.register("HeUniform", aliases: ["he_uniform"]) { try HeUniform(config: $0) }
        try registry.register("LecunNormal", aliases: ["lecun_normal"]) { try LecunNormal(config: $0) }
        try registry.register("LecunUniform", aliases: ["lecun_uniform"]) { try LecunUniform(config: $0) }
        try registry.register("Orthogonal", aliases: ["orthogonal", "OrthogonalInitializer"]) { try Orthogonal(config: $0) }
    }
}
