/// Keras's `AveragePooling2D`: the mean of each window; with "same" padding, windows at the edge
/// average only the pixels they cover.
open class AveragePooling2D: Pooling2D {
    open override class var kerasClassName: String { "AveragePooling2D" }

    open override func pool(_ x: Tensor) -> Tensor {
        x.avgPool2d(poolSize: poolSize.tuple, strides: resolvedStrides.tuple, padding: padding)
    }
}
