/// Keras's `Maximum`: the elementwise largest of its inputs.
open class Maximum: ElementwiseMerge {
    open override class var kerasClassName: String { "Maximum" }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0]) { $0.maximum($1) }
    }
}
