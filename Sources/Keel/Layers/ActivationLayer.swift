/// Keras's `Activation` layer: applies an activation function by name. (The Swift name differs
/// because `Activation` is the function type itself.) The output keeps the input's shape except
/// where the function's shape rule says otherwise (GLU; `Layer.shapeAfterActivation`).
@Component(.layer)
open class ActivationLayer: Layer {
    open override class var kerasClassName: String { "Activation" }

    @Hyper("activation") public var activation: Activation

    open override func call(_ input: Tensor, training: Bool) -> Tensor { activation(input) }
}
