/// Registers Keel's built-in Metrics under their Keras class names and aliases.
enum BuiltInMetrics {
    static func register(_ registry: Registry<Metric>) throws {
    }
}
