/// Keras's `GlobalMaxPooling1D` (it ignores masks, as Keras's does).
open class GlobalMaxPooling1D: GlobalPooling1D {
    open override class var kerasClassName: String { "GlobalMaxPooling1D" }
    open override func reduce(_ x: Tensor) -> Tensor { x.max(axes: [stepsAxis], keepDims: keepDims) }
}
