/// An activation function by its Keras name ("relu", "softmax", ...). Layers store the name in
/// their config, as Keras does.
public struct Activation {
    public let name: String
    public let apply: (Tensor) -> Tensor

    public init(name: String, apply: @escaping (Tensor) -> Tensor) {
        self.name = name
        self.apply = apply
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { apply(x) }

    public static let linear = Activation(name: "linear") { $0 }

    /// Resolves an activation from a config value: a name, null (linear), or a serialized object.
    public static func from(_ value: JSONValue?) throws -> Activation {
        guard let value, !value.isNull else { return .linear }
        if case .object(let object) = value, let name = object["config"]?.objectValue?["name"]?.stringValue
            ?? object["class_name"]?.stringValue {
            return try Registries.activations.make(name)
        }
        return try Registries.activations.make(from: value)
    }
}
