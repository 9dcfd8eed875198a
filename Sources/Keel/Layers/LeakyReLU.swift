/// Keras's `LeakyReLU` layer: x where x > 0, else `negativeSlope`·x. Its default slope is 0.3
/// (the `leaky_relu` activation's is 0.2); configs written before Keras 3 call it `alpha`.
open class LeakyReLU: Layer {
    open override class var kerasClassName: String { "LeakyReLU" }
    open override class var renamedConfigKeys: [String: String] { ["alpha": "negative_slope"] }

    @Hyper("negative_slope", .nonNegative) public var negativeSlope = 0.3

    // @Component(.layer) expansion begin
    public convenience init(negativeSlope: Double = 0.3, activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        self.init(name: name, trainable: trainable)
        self.activityRegularizer = activityRegularizer
        self.negativeSlope = negativeSlope
        self.didConfigure()
    }
    // @Component(.layer) expansion end

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.leakyRelu(negativeSlope: Float(negativeSlope))
    }
}
