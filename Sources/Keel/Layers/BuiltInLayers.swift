/// Registers Keel's layers under their Keras class names.
enum BuiltInLayers {
    static func register(_ registry: Registry<Layer>) throws {
    }
}
