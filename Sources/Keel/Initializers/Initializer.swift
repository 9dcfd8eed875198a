/// Makes the initial value of a weight (`keras.initializers`). A seeded initializer draws from its
/// own generator; an unseeded one from the engine-wide `KeelRandom.generator`.
open class Initializer: PlainComponent {
    open override class var kerasModule: String { "keras.initializers" }

    open func callAsFunction(_ shape: [Int]) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override callAsFunction(_:)")
    }

    /// Resolves a config value: a name ("glorot_uniform"), a serialized object, or null (nil).
    public static func from(_ value: JSONValue?) throws -> Initializer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.initializers.make(from: value)
    }
}
