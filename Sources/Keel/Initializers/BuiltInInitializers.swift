/// Registers Keel's built-in Initializers under their Keras class names and the aliases Keras's
/// `initializers.get` accepts (snake_case names plus "normal", "uniform", "one", "zero").
enum BuiltInInitializers {
    static func register(_ registry: Registry<Initializer>) throws {
        try registry.register(Zeros.self, aliases: ["zeros", "zero"])
        try registry.register(Ones.self, aliases: ["ones", "one"])
        try registry.register(Constant.self, aliases: ["constant"])
        try registry.register(Identity.self, aliases: ["identity", "IdentityInitializer"])
        try registry.register(RandomNormal.self, aliases: ["random_normal", "normal"])
        try registry.register(RandomUniform.self, aliases: ["random_uniform", "uniform"])
        try registry.register(TruncatedNormal.self, aliases: ["truncated_normal"])
        try registry.register(VarianceScaling.self, aliases: ["variance_scaling"])
        try registry.register(GlorotUniform.self, aliases: ["glorot_uniform"])
        try registry.register(GlorotNormal.self, aliases: ["glorot_normal"])
        try registry.register(HeNormal.self, aliases: ["he_normal"])
        try registry.register(HeUniform.self, aliases: ["he_uniform"])
        try registry.register(LecunNormal.self, aliases: ["lecun_normal"])
        try registry.register(LecunUniform.self, aliases: ["lecun_uniform"])
        try registry.register(Orthogonal.self, aliases: ["orthogonal", "OrthogonalInitializer"])
    }
}
