/// Keras's `BatchNormalization`: normalizes each feature of `axis`. In training (when the layer is
/// also trainable) it uses the batch's mean and biased variance and moves the moving statistics
/// towards them (`moving = moving·momentum + batch·(1 − momentum)`); otherwise it uses the moving
/// statistics. Weights, in Keras's order: gamma, beta (trainable), moving_mean, moving_variance.
@Component(.layer)
open class BatchNormalization: Layer {
    open override class var kerasClassName: String { "BatchNormalization" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("axis") public var axis = -1
    @Hyper("momentum") public var momentum = 0.99
    @Hyper("epsilon", .positive) public var epsilon = 1e-3
    @Hyper("center") public var center = true
    @Hyper("scale") public var scale = true
    @Hyper("beta_initializer") public var betaInitializer: Initializer = Zeros()
    @Hyper("gamma_initializer") public var gammaInitializer: Initializer = Ones()
    @Hyper("moving_mean_initializer") public var movingMeanInitializer: Initializer = Zeros()
    @Hyper("moving_variance_initializer") public var movingVarianceInitializer: Initializer = Ones()
    @Hyper("beta_regularizer") public var betaRegularizer: Regularizer? = nil
    @Hyper("gamma_regularizer") public var gammaRegularizer: Regularizer? = nil
    @Hyper("beta_constraint") public var betaConstraint: Constraint? = nil
    @Hyper("gamma_constraint") public var gammaConstraint: Constraint? = nil
    /// Accepted and written back as Keras does; one device has nothing to synchronize with.
    @Hyper("synchronized") public var synchronized = false
    @Hyper("renorm", .mustBeFalse("Keel does not implement batch renormalization")) public var renorm = false
    /// Only meaningful with renormalization, which Keel refuses; kept so configs round-trip.
    @Hyper("renorm_clipping") public var renormClipping: JSONValue? = nil
    @Hyper("renorm_momentum") public var renormMomentum = 0.99
    public private(set) var gamma: Variable?
    public private(set) var beta: Variable?
    public private(set) var movingMean: Variable!
    public private(set) var movingVariance: Variable!

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...8)
        let featureAxis = try checkedAxis(axis, rank: shape.count, shapes: inputShapes)
        let features = try knownDimension(inputShapes, axis: featureAxis, what: "feature")
        try checkBuiltDimension(features, builtFor: movingMean?.shape[0], what: "features", shapes: inputShapes)
        try checkConstraintFits(scale ? gammaConstraint : nil, weightShape: [features], weight: "gamma", shapes: inputShapes)
        try checkConstraintFits(center ? betaConstraint : nil, weightShape: [features], weight: "beta", shapes: inputShapes)
        return shape
    }

    open override var usesTrainingFlag: Bool { true }

    open override func build(inputShape: [Int]) {
        let features = [inputShape[normalizedAxis(rank: inputShape.count)]]
        if scale {
            gamma = addWeight(name: "gamma", shape: features, initializer: gammaInitializer, regularizer: gammaRegularizer,
                              constraint: gammaConstraint)
        }
        if center {
            beta = addWeight(name: "beta", shape: features, initializer: betaInitializer, regularizer: betaRegularizer,
                             constraint: betaConstraint)
        }
        movingMean = addWeight(name: "moving_mean", shape: features, initializer: movingMeanInitializer, trainable: false)
        movingVariance = addWeight(name: "moving_variance", shape: features, initializer: movingVarianceInitializer,
                                   trainable: false)
    }

    private func normalizedAxis(rank: Int) -> Int {
        ShapeMath.normalizedAxis(axis, rank: rank, op: "BatchNormalization '\(name)'")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let featureAxis = normalizedAxis(rank: input.rank)
        let reduced = (0..<input.rank).filter { $0 != featureAxis }
        // Per-feature vectors are reshaped to broadcast along the feature axis.
        let broadcastShape = (0..<input.rank).map { $0 == featureAxis ? input.shape[$0] : 1 }
        if training && trainable && featureAxis == input.rank - 1 {
            // Channels-last (the Keras default): one fused op instead of ~20 elementwise passes.
            let normalized = input.batchNormalized(gamma: gamma?.value, beta: beta?.value, epsilon: Float(epsilon))
            updateMovingStatistics(mean: normalized.mean, variance: normalized.variance)
            return normalized.output
        }
        let mean: Tensor, variance: Tensor
        if training && trainable {
            mean = input.mean(axes: reduced, keepDims: true)
            variance = input.variance(axes: reduced, keepDims: true)
            updateMovingStatistics(mean: stopGradient(mean), variance: stopGradient(variance))
        } else {
            mean = movingMean.value.reshaped(broadcastShape)
            variance = movingVariance.value.reshaped(broadcastShape)
        }
        var multiplier = (variance + Float(epsilon)).rsqrt()
        if let gamma { multiplier = multiplier * gamma.value.reshaped(broadcastShape) }
        var output = (input - mean) * multiplier
        if let beta { output = output + beta.value.reshaped(broadcastShape) }
        return output
    }

    private func updateMovingStatistics(mean: Tensor, variance: Tensor) {
        let keep = Float(momentum), take = Float(1 - momentum)
        let features = movingMean.shape
        movingMean.assign(movingMean.value * keep + mean.reshaped(features) * take)
        movingVariance.assign(movingVariance.value * keep + variance.reshaped(features) * take)
    }
}
