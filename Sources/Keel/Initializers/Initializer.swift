/// Makes the initial value of a weight (`keras.initializers`). A seeded initializer draws from its
/// own generator; an unseeded one from the engine-wide `KeelRandom.generator`.
open class Initializer: KerasSerializable {
    open class var kerasClassName: String { "Initializer" }
    public init() {}

    open func callAsFunction(_ shape: [Int]) -> Tensor {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    open var config: JSONObject { JSONObject() }

    /// Resolves a config value: a name ("glorot_uniform"), a serialized object, or null (nil).
    public static func from(_ value: JSONValue?) throws -> Initializer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.initializers.make(from: value)
    }
}

/// A penalty on a weight added to the model's loss (`keras.regularizers`).
open class Regularizer: KerasSerializable {
    open class var kerasClassName: String { "Regularizer" }
    public init() {}

    open func callAsFunction(_ weight: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    open var config: JSONObject { JSONObject() }

    public static func from(_ value: JSONValue?) throws -> Regularizer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.regularizers.make(from: value)
    }
}
