/// Keras's `Masking`: a step (a position along every axis but the last) whose features all equal
/// `mask_value` is masked: its output is zeroed and the output mask, any(input ≠ mask_value)
/// over the last axis, marks it 0 for the layers downstream.
@Component(.layer)
open class Masking: Layer {
    open override class var kerasClassName: String { "Masking" }

    @Hyper("mask_value") public var maskValue = 0.0

    open override var supportsMasking: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try singleInput(inputShapes, rank: 2...8)
    }

    /// 1 where some feature of the step differs from `mask_value`, keeping the last axis (size 1).
    private func keptSteps(_ input: Tensor) -> Tensor {
        let values = input.dtype == .float32 ? input : input.cast(to: .float32)
        return values.notEqual(Tensor(Float(maskValue))).max(axes: [values.rank - 1], keepDims: true)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let values = input.dtype == .float32 ? input : input.cast(to: .float32)
        // `where`, not a product: a masked step holding inf or NaN still becomes 0, as in Keras.
        return `where`(keptSteps(values), values, Tensor(0))
    }

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        let kept = keptSteps(inputs[0])
        return [kept.squeezed(axes: [kept.rank - 1])] + Array(repeating: nil, count: max(outputCount - 1, 0))
    }
}
