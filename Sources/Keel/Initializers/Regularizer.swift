/// A penalty on a weight added to the model's loss (`keras.regularizers`).
open class Regularizer: PlainComponent {
    open override class var kerasModule: String { "keras.regularizers" }

    open func callAsFunction(_ weight: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override callAsFunction(_:)")
    }

    public static func from(_ value: JSONValue?) throws -> Regularizer? {
        guard let value, !value.isNull else { return nil }
        return try Registries.regularizers.make(from: value)
    }
}

extension HyperCheck where Value == Double {
    /// A penalty factor: Keras rejects negatives; infinities would make every loss infinite.
    public static var penaltyFactor: HyperCheck { HyperCheck("a non-negative number") { $0 >= 0 && $0.isFinite } }
}
