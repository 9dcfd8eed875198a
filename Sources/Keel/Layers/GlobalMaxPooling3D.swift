/// Keras's `GlobalMaxPooling3D`.
open class GlobalMaxPooling3D: GlobalPooling3D {
    open override class var kerasClassName: String { "GlobalMaxPooling3D" }
    open override func reduce(_ x: Tensor, axes: [Int]) -> Tensor { x.max(axes: axes, keepDims: keepDims) }
}
