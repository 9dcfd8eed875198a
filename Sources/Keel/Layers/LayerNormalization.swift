/// Keras's `LayerNormalization`: normalizes each example over `axis` (one axis or several) by
/// its own mean and biased variance, then scales by gamma and shifts by beta, weights shaped as
/// the normalized axes. Building sorts the axes and writes them as a list, as Keras does.
/// `rms_scaling` (deprecated in Keras, kept for its files) scales by 1/√(variance + ε) without
/// centring the output and has no beta.
@Component(.layer)
open class LayerNormalization: Layer {
    open override class var kerasClassName: String { "LayerNormalization" }

    @Hyper("axis", HyperCheck("at least one axis") { !$0.values.isEmpty }) public var axis: Axes = -1
    @Hyper("epsilon") public var epsilon = 1e-3
    @Hyper("center") public var center = true
    @Hyper("scale") public var scale = true
    @Hyper("rms_scaling") public var rmsScaling = false
    @Hyper("beta_initializer") public var betaInitializer: Initializer = Zeros()
    @Hyper("gamma_initializer") public var gammaInitializer: Initializer = Ones()
    @Hyper("beta_regularizer") public var betaRegularizer: Regularizer? = nil
    @Hyper("gamma_regularizer") public var gammaRegularizer: Regularizer? = nil
    @Hyper("beta_constraint") public var betaConstraint: Constraint? = nil
    @Hyper("gamma_constraint") public var gammaConstraint: Constraint? = nil
    public private(set) var gamma: Variable?
    public private(set) var beta: Variable?

    open override var supportsMasking: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        let weightShape = try normalizedShape(shape, shapes: inputShapes)
        if let built = gamma?.shape ?? beta?.shape, built != weightShape {
            throw invalidInput(expected: "sizes \(built) along axis \(axis.values), as the weights were built for",
                               found: inputShapes)
        }
        try checkWeightFits(weightShape, weight: "gamma", shapes: inputShapes)
        try checkConstraintFits(hasGamma ? gammaConstraint : nil, weightShape: weightShape, weight: "gamma", shapes: inputShapes)
        try checkConstraintFits(hasBeta ? betaConstraint : nil, weightShape: weightShape, weight: "beta", shapes: inputShapes)
        return shape
    }

    /// The weights' shape: the input's sizes along the sorted axes, each known and named once.
    private func normalizedShape(_ shape: [Int?], shapes: [[Int?]]) throws -> [Int] {
        let axes = try axis.values.map { try checkedAxis($0, rank: shape.count, shapes: shapes) }
        guard Set(axes).count == axes.count else { throw invalidInput(expected: "distinct axes", found: shapes) }
        return try axis.values.sorted().map { raw in
            try knownDimension(shapes, axis: raw < 0 ? raw + shape.count : raw, what: "normalized")
        }
    }

    private var hasGamma: Bool { scale || rmsScaling }
    private var hasBeta: Bool { center && !rmsScaling }

    open override func build(inputShape: [Int]) {
        let sorted = axis.values.sorted()
        axis = .many(sorted)
        let shape = sorted.map { inputShape[$0 < 0 ? $0 + inputShape.count : $0] }
        if hasGamma {
            gamma = addWeight(name: "gamma", shape: shape, initializer: gammaInitializer, regularizer: gammaRegularizer,
                              constraint: gammaConstraint)
        }
        if hasBeta {
            beta = addWeight(name: "beta", shape: shape, initializer: betaInitializer, regularizer: betaRegularizer,
                             constraint: betaConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let rank = input.rank
        let axes = axis.values.sorted().map { $0 < 0 ? $0 + rank : $0 }
        let eps = Float(epsilon)
        // The usual case, trailing axes in order (the last one, or [1, 2] of a sequence): one
        // fused op whose weights lie in the rows' order.
        if axes == Array((rank - axes.count)..<rank) {
            let features = axes.reduce(1) { $0 * input.shape[$1] }
            return input.layerNormalized(features: features, gamma: gamma?.value, beta: beta?.value, epsilon: eps,
                                         rmsScaling: rmsScaling)
        }
        // Other axes: Keras's formula from ops, the weights reshaped (not transposed) to
        // broadcast along the axes, as Keras reshapes them.
        let broadcastShape = (0..<rank).map { axes.contains($0) ? input.shape[$0] : 1 }
        let mean = input.mean(axes: axes, keepDims: true)
        let variance = input.variance(axes: axes, keepDims: true)
        var inverse = (variance + eps).rsqrt()
        if rmsScaling {
            var output = input * inverse
            if let gamma { output = output * gamma.value.reshaped(broadcastShape) }
            return output
        }
        if let gamma { inverse = inverse * gamma.value.reshaped(broadcastShape) }
        var shift = -(mean * inverse)
        if let beta { shift = shift + beta.value.reshaped(broadcastShape) }
        return input * inverse + shift
    }
}
