/// Registers Keel's built-in Losss under their Keras class names and aliases.
enum BuiltInLosses {
    static func register(_ registry: Registry<Loss>) throws {
    }
}
