/// Registers Keel's built-in Optimizers under their Keras class names and the string aliases
/// `keras.optimizers.get` accepts (`"adam"`, `"rmsprop"`, ...).
enum BuiltInOptimizers {
    static func register(_ registry: Registry<Optimizer>) throws {
        try registry.register(SGD.self, aliases: ["sgd"])
        try registry.register(RMSprop.self, aliases: ["rmsprop"])
        try registry.register(Adagrad.self, aliases: ["adagrad"])
        try registry.register(Adadelta.self, aliases: ["adadelta"])
        try registry.register(Adam.self, aliases: ["adam"])
        try registry.register(AdamW.self, aliases: ["adamw"])
        try registry.register(Adamax.self, aliases: ["adamax"])
        try registry.register(Nadam.self, aliases: ["nadam"])
        try registry.register(Ftrl.self, aliases: ["ftrl"])
        try registry.register(Lion.self, aliases: ["lion"])
    }
}
