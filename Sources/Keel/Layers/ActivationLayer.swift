/// Keras's `Activation` layer: applies an activation function by name. (The Swift name differs
/// because `Activation` is the function type itself.) The output keeps the input's shape except
/// where the function's shape rule says otherwise (GLU; `Layer.shapeAfterActivation`).
@Component(.layer)
open class ActivationLayer: Layer {
    open override class var kerasClassName: String { "Activation" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("activation") public var activation: Activation

    open override func call(_ input: Tensor, training: Bool) -> Tensor { activation(input) }
}
