/// Keras's `MaxPooling1D`: the largest value of each window of steps.
open class MaxPooling1D: Pooling1D {
    open override class var kerasClassName: String { "MaxPooling1D" }

    open override func pool(_ x: Tensor, poolSize: (Int, Int), strides: (Int, Int)) -> Tensor {
        x.maxPool2d(poolSize: poolSize, strides: strides, padding: padding)
    }
}
