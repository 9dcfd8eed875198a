/// Makes the initial value of a weight (`keras.initializers`). An initializer declares its fields
/// with `@Hyper`; this base builds it from a config, checks it and writes its config. A seeded
/// initializer draws from its own generator; an unseeded one from the engine-wide
/// `KeelRandom.generator`.
open class Initializer: ConfigConstructible {
    open class var kerasClassName: String { "Initializer" }

    /// Every field keeps its declared default; `@Component` gives each initializer an
    /// initialiser that takes them.
    public init() {}

    /// Keras's `cls(**config)`: each key is a declared field; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared field's rules; a layer's check runs it for the initializers it was given.
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the fields are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    open func callAsFunction(_ shape: [Int]) -> Tensor {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }

    /// Resolves a config value: a name ("glorot_uniform"), a serialized object, or null (nil).
    public static func from(_ value: JSONValue?) throws -> Initializer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.initializers.make(from: value)
    }
}

extension Initializer {
    /// `{"module": "keras.initializers", "class_name", "config", "registered_name"}`, named by the
    /// object's own class (its dynamic type), as layers write their initializers into configs.
    public func serialized() -> JSONValue {
        ["module": "keras.initializers", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }

    /// An initializer made in Swift whose fields break its rules is reported by the layer's check.
    public var deferredProblem: String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
