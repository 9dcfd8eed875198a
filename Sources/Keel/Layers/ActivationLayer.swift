/// Keras's `Activation` layer: applies an activation function by name. (The Swift name differs
/// because `Activation` is the function type itself.)
open class ActivationLayer: Layer {
    open override class var kerasClassName: String { "Activation" }

    @Hyper("activation") public var activation: Activation

    // @Component(.layer) expansion begin
    public convenience init(activation: Activation, activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        self.init(name: name, trainable: trainable)
        self.activityRegularizer = activityRegularizer
        self.activation = activation
        self.didConfigure()
    }
    // @Component(.layer) expansion end

    open override func call(_ input: Tensor, training: Bool) -> Tensor { activation(input) }
}
