/// Keras's `AveragePooling1D`: the mean of each window of steps; with "same" padding, windows at
/// the ends average only the steps they cover.
open class AveragePooling1D: Pooling1D {
    open override class var kerasClassName: String { "AveragePooling1D" }

    open override func pool(_ x: Tensor, poolSize: (Int, Int), strides: (Int, Int)) -> Tensor {
        x.avgPool2d(poolSize: poolSize, strides: strides, padding: padding)
    }
}
