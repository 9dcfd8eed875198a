/// Keras's `Average`: the elementwise mean of its inputs.
open class Average: ElementwiseMerge {
    open override class var kerasClassName: String { "Average" }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +) / Float(inputs.count)
    }
}
