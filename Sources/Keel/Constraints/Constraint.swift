/// A projection applied to a weight right after each optimizer update (`keras.constraints`): a
/// variable with a constraint holds `constraint(w − update)`. A constraint declares its fields
/// with `@Hyper`; this base builds it from a config, checks it and writes its config. The base
/// leaves weights unchanged, as Keras's `Constraint` does.
open class Constraint: ConfigConstructible {
    open class var kerasClassName: String { "Constraint" }

    /// Every field keeps its declared default; `@Component` gives each constraint an
    /// initialiser that takes them.
    public init() {}

    /// Keras's `cls(**config)`: each key is a declared field; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared field's rules; a layer's check runs it for the constraints it was given.
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the fields are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    /// The weight projected onto the constraint's set.
    open func callAsFunction(_ weight: Tensor) -> Tensor { weight }

    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }

    /// Resolves a config value: a name, a serialized object, or null (nil).
    public static func from(_ value: JSONValue?) throws -> Constraint? {
        guard let value, !value.isNull else { return nil }
        return try Registries.constraints.make(from: value)
    }
}

/// Constraints nest in layer configs as Keras serializes them.
extension Constraint: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.constraints.make(from: value) }

    /// `{"module": "keras.constraints", "class_name", "config", "registered_name"}`, named by the
    /// object's own class.
    public func serialized() -> JSONValue {
        ["module": "keras.constraints", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }

    /// A constraint made in Swift whose fields break its rules is reported by the layer's check.
    public var deferredProblem: String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
