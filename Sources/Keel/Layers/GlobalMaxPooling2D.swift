/// Keras's `GlobalMaxPooling2D`.
open class GlobalMaxPooling2D: GlobalPooling2D {
    open override class var kerasClassName: String { "GlobalMaxPooling2D" }
    open override func reduce(_ x: Tensor, axes: [Int]) -> Tensor { x.max(axes: axes, keepDims: keepDims) }
}
