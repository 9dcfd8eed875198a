/// Keras's `ReLU` layer: x above `threshold` (capped at `maxValue`), and
/// `negativeSlope`·(x − threshold) below it. Built from the same steps as Keras's `relu`, so
/// values and gradients agree with Keras at the boundaries too (e.g. exactly at the threshold).
@Component(.layer)
open class ReLU: Layer {
    open override class var kerasClassName: String { "ReLU" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("max_value", HyperCheck("a number ≥ 0 or null") { ($0 ?? 0) >= 0 }) public var maxValue: Double? = nil
    @Hyper("negative_slope", .nonNegative) public var negativeSlope = 0.0
    @Hyper("threshold", .nonNegative) public var threshold = 0.0

    open override func call(_ x: Tensor, training: Bool) -> Tensor {
        let slope = Float(negativeSlope), cut = Float(threshold)
        if slope != 0 && maxValue == nil && cut == 0 { return x.leakyRelu(negativeSlope: slope) }
        let negativePart: Tensor? = slope == 0 ? nil : (cut != 0 ? cut - x : -x).relu()
        var capped = maxValue != nil
        var output: Tensor
        if cut != 0 {
            output = x * x.greater(Tensor(cut))
        } else if maxValue == 6 {
            output = x.relu6()
            capped = false
        } else {
            output = x.relu()
        }
        if capped, let maxValue { output = output.clipped(min: 0, max: Float(maxValue)) }
        if let negativePart { output = output - negativePart * slope }
        return output
    }
}
