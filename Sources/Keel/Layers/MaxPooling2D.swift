/// Keras's `MaxPooling2D`: the largest value of each window.
open class MaxPooling2D: Pooling2D {
    open override class var kerasClassName: String { "MaxPooling2D" }

    open override func pool(_ x: Tensor) -> Tensor {
        x.maxPool2d(poolSize: poolSize.tuple, strides: resolvedStrides.tuple, padding: padding)
    }
}
