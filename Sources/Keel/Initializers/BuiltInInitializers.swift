/// Registers Keel's built-in Initializers under their Keras class names and aliases.
enum BuiltInInitializers {
    static func register(_ registry: Registry<Initializer>) throws {
    }
}
