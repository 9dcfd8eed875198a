/// Keras's `Add`: the elementwise sum of its inputs (broadcasting as NumPy does).
open class Add: ElementwiseMerge {
    open override class var kerasClassName: String { "Add" }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +)
    }
}
