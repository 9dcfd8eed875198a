/// Keras's `Identity` layer: its input, unchanged (a placeholder where a model may put another
/// layer). Named IdentityLayer in Swift, as `Identity` is the initializer.
open class IdentityLayer: Layer {
    open override class var kerasClassName: String { "Identity" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input }
}
