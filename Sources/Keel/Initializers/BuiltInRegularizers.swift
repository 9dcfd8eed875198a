/// Registers Keel's built-in Regularizers under their Keras class names and aliases.
enum BuiltInRegularizers {
    static func register(_ registry: Registry<Regularizer>) throws {
    }
}
