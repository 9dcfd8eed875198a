/// An activation function by its Keras name ("relu", "softmax", ...). Layers store the name in
/// their config, as Keras does.
public struct Activation {
    public let name: String
    public let apply: (Tensor) -> Tensor
    /// Why this activation cannot be used: set when a Swift initialiser named one nobody
    /// registered. The layer reports it when it is called, as Keras raises at that line.
    public let problem: String?

    public init(name: String, apply: @escaping (Tensor) -> Tensor) {
        self.name = name
        self.apply = apply
        self.problem = nil
    }

    private init(unknown name: String, problem: String) {
        self.name = name
        self.problem = problem
        self.apply = { _ in OpCheck.fail("activation '\(name)': \(problem)") }
    }

    /// The registered activation of that name, or one that reports why there is none when the
    /// layer holding it is checked.
    public static func named(_ name: String) -> Activation {
        do {
            return try Registries.activations.make(name)
        } catch {
            return Activation(unknown: name, problem: "\(error)")
        }
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

/// An activation named in Swift: `Dense(units: 8, activation: "relu")`. An unknown name is
/// reported when the layer holding it is checked (called on its inputs), as Keras raises there.
extension Activation: ExpressibleByStringLiteral {
    public init(stringLiteral name: String) { self = .named(name) }
}
