/// Registers Keel's built-in Optimizers under their Keras class names and aliases.
enum BuiltInOptimizers {
    static func register(_ registry: Registry<Optimizer>) throws {
    }
}
