/// Registers Keel's built-in Regularizers under their Keras class names and snake_case aliases
/// (the names Keras's `regularizers.get` accepts).
enum BuiltInRegularizers {
    static func register(_ registry: Registry<Regularizer>) throws {
        try registry.register("L1", aliases: ["l1"]) { try L1(config: $0) }
        try registry.register("L2", aliases: ["l2"]) { try L2(config: $0) }
        try registry.register("L1L2", aliases: ["l1_l2"]) { try L1L2(config: $0) }
        try registry.register("OrthogonalRegularizer", aliases: ["orthogonal_regularizer"]) {
            try OrthogonalRegularizer(config: $0)
        }
    }
}
