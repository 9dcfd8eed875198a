/// Keras's `UnitNormalization`: scales each example to unit L2 norm over `axis` (one axis or
/// several), x · min(1/√Σx², 10¹²), so an all-zero slice stays zero.
@Component(.layer)
open class UnitNormalization: Layer {
    open override class var kerasClassName: String { "UnitNormalization" }

    @Hyper("axis", HyperCheck("at least one axis") { !$0.values.isEmpty }) public var axis: Axes = -1

    open override var supportsMasking: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        let axes = try axis.values.map { try checkedAxis($0, rank: shape.count, shapes: inputShapes) }
        guard Set(axes).count == axes.count else { throw invalidInput(expected: "distinct axes", found: inputShapes) }
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let axes = axis.values.map { $0 < 0 ? $0 + input.rank : $0 }
        // Keras's epsilon 1e-12 caps the inverse norm at 1e12.
        let inverseNorm = input.squared().sum(axes: axes, keepDims: true).rsqrt().minimum(Tensor(1e12))
        return input * inverseNorm
    }
}
