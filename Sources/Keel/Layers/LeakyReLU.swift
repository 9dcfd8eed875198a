/// Keras's `LeakyReLU` layer: x where x > 0, else `negativeSlope`·x. Its default slope is 0.3
/// (the `leaky_relu` activation's is 0.2); configs written before Keras 3 call it `alpha`.
@Component(.layer)
open class LeakyReLU: Layer {
    open override class var kerasClassName: String { "LeakyReLU" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }
    open override class var renamedConfigKeys: [String: String] { ["alpha": "negative_slope"] }

    @Hyper("negative_slope", .nonNegative) public var negativeSlope = 0.3

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.leakyRelu(negativeSlope: Float(negativeSlope))
    }
}
