/// Registers `output = op(inputs)` with the recording tapes. Both arguments are autoclosures,
/// so when no tape records (inference, optimizer updates) nothing is built or allocated.
@inline(__always)
func differentiable(_ output: Tensor, _ inputs: @autoclosure () -> [Tensor],
                    _ backward: @autoclosure () -> (Tensor) -> [Tensor?]) -> Tensor {
    if GradientTape.isRecording {
        GradientTape.recordOp(output: output, inputs: inputs(), backward: backward())
    }
    return output
}

/// `differentiable` for a rule that skips the input gradients no tape asked for (`needed[i]`).
@inline(__always)
func differentiable(_ output: Tensor, _ inputs: @autoclosure () -> [Tensor],
                    skipping backward: @autoclosure () -> (Tensor, [Bool]) -> [Tensor?]) -> Tensor {
    if GradientTape.isRecording {
        GradientTape.recordOp(output: output, inputs: inputs(), backwardSkipping: backward())
    }
    return output
}
