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
        try registry.register(Adafactor.self, aliases: ["adafactor"])
        // Keras's `optimizers.get` knows no "lamb" (Lamb is not in its ALL_OBJECTS), only the class.
        try registry.register(Lamb.self, aliases: [])
        try registry.register(Muon.self, aliases: ["muon"])
    }
}
