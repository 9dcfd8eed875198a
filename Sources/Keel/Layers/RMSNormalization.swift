/// Keras's `RMSNormalization`: x / √(mean(x²) + ε) over `axis` (one axis or several), times a
/// learned `scale` shaped as the normalized axes. Building sorts the axes and writes them as a
/// list, as Keras does.
@Component(.layer)
open class RMSNormalization: Layer {
    open override class var kerasClassName: String { "RMSNormalization" }

    @Hyper("axis", HyperCheck("at least one axis") { !$0.values.isEmpty }) public var axis: Axes = -1
    @Hyper("epsilon") public var epsilon = 1e-6
    public private(set) var scale: Variable!

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        let axes = try axis.values.map { try checkedAxis($0, rank: shape.count, shapes: inputShapes) }
        guard Set(axes).count == axes.count else { throw invalidInput(expected: "distinct axes", found: inputShapes) }
        let weightShape = try axis.values.sorted().map { raw in
            try knownDimension(inputShapes, axis: raw < 0 ? raw + shape.count : raw, what: "normalized")
        }
        if let built = scale?.shape, built != weightShape {
            throw invalidInput(expected: "sizes \(built) along axis \(axis.values), as the scale was built for", found: inputShapes)
        }
        try checkWeightFits(weightShape, weight: "scale", shapes: inputShapes)
        return shape
    }

    open override func build(inputShape: [Int]) {
        let sorted = axis.values.sorted()
        axis = .many(sorted)
        scale = addWeight(name: "scale", shape: sorted.map { inputShape[$0 < 0 ? $0 + inputShape.count : $0] },
                          initializer: Ones())
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let rank = input.rank
        let axes = axis.values.sorted().map { $0 < 0 ? $0 + rank : $0 }
        let broadcastShape = (0..<rank).map { axes.contains($0) ? input.shape[$0] : 1 }
        let inverseRMS = (input.squared().mean(axes: axes, keepDims: true) + Float(epsilon)).rsqrt()
        return input * inverseRMS * scale.value.reshaped(broadcastShape)
    }
}
