/// A penalty on a weight added to the model's loss (`keras.regularizers`). A regularizer declares
/// its fields with `@Hyper`; this base builds it from a config, checks it and writes its config.
open class Regularizer: ConfigConstructible {
    open class var kerasClassName: String { "Regularizer" }

    /// Every field keeps its declared default; `@Component` gives each regularizer an
    /// initialiser that takes them.
    public init() {}

    /// Keras's `cls(**config)`: each key is a declared field; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared field's rules; a layer's check runs it for the regularizers it was given.
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the fields are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    open func callAsFunction(_ weight: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }

    public static func from(_ value: JSONValue?) throws -> Regularizer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.regularizers.make(from: value)
    }
}

extension Regularizer {
    /// `{"module": "keras.regularizers", "class_name", "config", "registered_name"}`, named by the
    /// object's own class (its dynamic type), as layers write their regularizers into configs.
    public func serialized() -> JSONValue {
        ["module": "keras.regularizers", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }

    /// A regularizer made in Swift whose fields break its rules is reported by the layer's check.
    public var deferredProblem: String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }
}

extension HyperCheck where Value == Double {
    /// A penalty factor: Keras rejects negatives; infinities would make every loss infinite.
    public static var penaltyFactor: HyperCheck { HyperCheck("a non-negative number") { $0 >= 0 && $0.isFinite } }
}
