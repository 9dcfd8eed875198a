/// Keras's `Multiply`: the elementwise product of its inputs.
open class Multiply: ElementwiseMerge {
    open override class var kerasClassName: String { "Multiply" }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], *)
    }
}
