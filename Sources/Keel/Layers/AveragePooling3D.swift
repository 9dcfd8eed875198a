/// Keras's `AveragePooling3D`: the mean of each window of a volume; with "same" padding,
/// windows at the edge average only the positions they cover.
open class AveragePooling3D: Pooling3D {
    open override class var kerasClassName: String { "AveragePooling3D" }

    open override func pool(_ x: Tensor) -> Tensor {
        x.avgPool3d(poolSize: poolSize.values, strides: resolvedStrides.values, padding: padding)
    }
}
