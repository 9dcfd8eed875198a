/// Keras's `Minimum`: the elementwise smallest of its inputs.
open class Minimum: ElementwiseMerge {
    open override class var kerasClassName: String { "Minimum" }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0]) { $0.minimum($1) }
    }
}
