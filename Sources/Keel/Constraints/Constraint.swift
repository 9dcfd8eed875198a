/// A projection applied to a weight right after each optimizer update (`keras.constraints`): a
/// variable with a constraint holds `constraint(w − update)`. The base leaves weights unchanged,
/// as Keras's `Constraint` does.
open class Constraint: PlainComponent, VariableConstraint {
    open override class var kerasModule: String { "keras.constraints" }

    /// The weight projected onto the constraint's set.
    open func callAsFunction(_ weight: Tensor) -> Tensor { weight }

    /// Why the constraint cannot project a weight of this shape (an axis it does not have), as a
    /// phrase; nil when it can. Layers ask while the model is built, so a config that does not
    /// fit its weight is a thrown error rather than a failed op in the middle of training.
    open func problem(forWeightShape shape: [Int]) -> String? { nil }

    /// Resolves a config value: a name, a serialized object, or null (nil).
    public static func from(_ value: JSONValue?) throws -> Constraint? {
        guard let value, !value.isNull else { return nil }
        return try Registries.constraints.make(from: value)
    }
}

/// Constraints nest in layer configs as Keras serializes them.
extension Constraint: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.constraints.make(from: value) }
}
