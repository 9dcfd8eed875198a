/// Keras's `GlobalAveragePooling1D`. Given a (batch, steps) mask it averages only the unmasked
/// steps (a sample with none gives 0/0, as Keras's does) and consumes the mask: the output,
/// which has no steps, carries none.
open class GlobalAveragePooling1D: GlobalPooling1D {
    open override class var kerasClassName: String { "GlobalAveragePooling1D" }

    open override var supportsMasking: Bool { true }
    open override var acceptedCallArguments: Set<String> { ["mask"] }

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, outputCount: Int) -> [Tensor?] {
        Array(repeating: nil, count: outputCount)
    }

    open override func reduce(_ x: Tensor) -> Tensor { x.mean(axes: [stepsAxis], keepDims: keepDims) }

    open override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        opCheck(inputs.count == 1, "\(nameForMessages) takes one input, got \(inputs.count)")
        guard let mask = arguments.optionalTensors("mask")?.first ?? nil else { return reduce(inputs[0]) }
        let x = inputs[0]
        opCheck(mask.shape == [x.shape[0], x.shape[stepsAxis]],
                "\(nameForMessages): a mask of shape (batch, steps) = \([x.shape[0], x.shape[stepsAxis]]) expected, found \(mask.shape)")
        let weights = mask.cast(to: .float32).expandingDims(at: dataFormat == .channelsLast ? 2 : 1)
        return (x * weights).sum(axes: [stepsAxis], keepDims: keepDims) / weights.sum(axes: [stepsAxis], keepDims: keepDims)
    }
}
