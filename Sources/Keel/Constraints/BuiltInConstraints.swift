/// Registers Keel's built-in Constraints under their Keras class names and the snake_case
/// aliases Keras's `constraints.get` accepts. None yet: plugins add theirs with `register`.
enum BuiltInConstraints {
    static func register(_ registry: Registry<Constraint>) throws {}
}
