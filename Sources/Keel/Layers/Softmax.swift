/// Keras's `Softmax` layer: softmax along `axis` (one axis, or several normalized together).
@Component(.layer)
open class Softmax: Layer {
    open override class var kerasClassName: String { "Softmax" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("axis", HyperCheck("at least one axis") { !$0.values.isEmpty }) public var axis: Axes = -1

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        for axis in axis.values { _ = try checkedAxis(axis, rank: shape.count, shapes: inputShapes) }
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let axes = axis.values
        if axes.count == 1 { return input.softmax(axis: axes[0]) }
        return (input - input.logSumExp(axes: axes, keepDims: true)).exp()
    }
}
