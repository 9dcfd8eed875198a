/// Registers Keel's built-in Optimizers under their Keras class names and the string aliases
/// `keras.optimizers.get` accepts (`"adam"`, `"rmsprop"`, ...).
enum BuiltInOptimizers {
    static func register(_ registry: Registry<Optimizer>) throws {
        try registry.register("SGD", aliases: ["sgd"]) { try SGD(config: $0) }
        try registry.register("RMSprop", aliases: ["rmsprop"]) { try RMSprop(config: $0) }
        try registry.register("Adagrad", aliases: ["adagrad"]) { try Adagrad(config: $0) }
        try registry.register("Adadelta", aliases: ["adadelta"]) { try Adadelta(config: $0) }
        try registry.register("Adam", aliases: ["adam"]) { try Adam(config: $0) }
        try registry.register("AdamW", aliases: ["adamw"]) { try AdamW(config: $0) }
        try registry.register("Adamax", aliases: ["adamax"]) { try Adamax(config: $0) }
        try registry.register("Nadam", aliases: ["nadam"]) { try Nadam(config: $0) }
        try registry.register("Ftrl", aliases: ["ftrl"]) { try Ftrl(config: $0) }
        try registry.register("Lion", aliases: ["lion"]) { try Lion(config: $0) }
    }
}
