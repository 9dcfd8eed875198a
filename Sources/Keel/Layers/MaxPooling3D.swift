/// Keras's `MaxPooling3D`: the largest value of each window of a volume.
open class MaxPooling3D: Pooling3D {
    open override class var kerasClassName: String { "MaxPooling3D" }

    open override func pool(_ x: Tensor) -> Tensor {
        x.maxPool3d(poolSize: poolSize.values, strides: resolvedStrides.values, padding: padding)
    }
}
