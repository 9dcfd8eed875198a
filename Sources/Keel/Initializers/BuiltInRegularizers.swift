/// Registers Keel's built-in Regularizers under their Keras class names and snake_case aliases
/// (the names Keras's `regularizers.get` accepts).
enum BuiltInRegularizers {
    static func register(_ registry: Registry<Regularizer>) throws {
        try registry.register(L1.self, aliases: ["l1"])
        try registry.register(L2.self, aliases: ["l2"])
        try registry.register(L1L2.self, aliases: ["l1_l2"])
        try registry.register(OrthogonalRegularizer.self, aliases: ["orthogonal_regularizer"])
    }
}
