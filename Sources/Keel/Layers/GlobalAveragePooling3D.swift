/// Keras's `GlobalAveragePooling3D`.
open class GlobalAveragePooling3D: GlobalPooling3D {
    open override class var kerasClassName: String { "GlobalAveragePooling3D" }
    open override func reduce(_ x: Tensor, axes: [Int]) -> Tensor { x.mean(axes: axes, keepDims: keepDims) }
}
