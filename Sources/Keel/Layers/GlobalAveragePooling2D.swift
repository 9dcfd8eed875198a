/// Keras's `GlobalAveragePooling2D`.
open class GlobalAveragePooling2D: GlobalPooling2D {
    open override class var kerasClassName: String { "GlobalAveragePooling2D" }
    open override func reduce(_ x: Tensor, axes: [Int]) -> Tensor { x.mean(axes: axes, keepDims: keepDims) }
}
