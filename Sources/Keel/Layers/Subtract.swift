/// Keras's `Subtract`: the first of exactly two inputs minus the second.
open class Subtract: ElementwiseMerge {
    open override class var kerasClassName: String { "Subtract" }

    open override var inputCount: InputCount { .exactly(2) }

    open override func merge(_ inputs: [Tensor]) -> Tensor {
        inputs[0] - inputs[1]
    }
}
