/// Keras's `BatchNormalization`: normalizes each feature of `axis`. In training (when the layer is
/// also trainable) it uses the batch's mean and biased variance and moves the moving statistics
/// towards them (`moving = moving·momentum + batch·(1 − momentum)`); otherwise it uses the moving
/// statistics. Weights, in Keras's order: gamma, beta (trainable), moving_mean, moving_variance.
open class BatchNormalization: Layer {
    open override class var kerasClassName: String { "BatchNormalization" }

    public let axis: Int
    public let momentum: Double
    public let epsilon: Double
    public let center: Bool
    public let scale: Bool
    public let betaInitializer: Initializer
    public let gammaInitializer: Initializer
    public let movingMeanInitializer: Initializer
    public let movingVarianceInitializer: Initializer
    public let betaRegularizer: Regularizer?
    public let gammaRegularizer: Regularizer?
    /// Accepted and written back as Keras does; one device has nothing to synchronize with.
    public let synchronized: Bool
    /// Only meaningful with renormalization, which Keel refuses; kept so configs round-trip.
    private var renormMomentum = 0.99
    public private(set) var gamma: Variable?
    public private(set) var beta: Variable?
    public private(set) var movingMean: Variable!
    public private(set) var movingVariance: Variable!

    public init(axis: Int = -1, momentum: Double = 0.99, epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true,
                betaInitializer: Initializer = Zeros(), gammaInitializer: Initializer = Ones(),
                movingMeanInitializer: Initializer = Zeros(), movingVarianceInitializer: Initializer = Ones(),
                betaRegularizer: Regularizer? = nil, gammaRegularizer: Regularizer? = nil, synchronized: Bool = false,
                name: String? = nil, trainable: Bool = true) {
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.betaInitializer = betaInitializer
        self.gammaInitializer = gammaInitializer
        self.movingMeanInitializer = movingMeanInitializer
        self.movingVarianceInitializer = movingVarianceInitializer
        self.betaRegularizer = betaRegularizer
        self.gammaRegularizer = gammaRegularizer
        self.synchronized = synchronized
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "BatchNormalization")
        let base = try reader.layerBase()
        try reader.requireNoConstraint("beta_constraint")
        try reader.requireNoConstraint("gamma_constraint")
        try reader.requireFalse("renorm", because: "Keel does not implement batch renormalization")
        let epsilon = try reader.double("epsilon", default: 1e-3)
        guard epsilon > 0 else {
            throw KeelError("\(reader.owner): field 'epsilon'", expected: "a positive number", found: "\(epsilon)")
        }
        self.init(axis: try reader.int("axis", default: -1), momentum: try reader.double("momentum", default: 0.99),
                  epsilon: epsilon, center: try reader.bool("center", default: true),
                  scale: try reader.bool("scale", default: true),
                  betaInitializer: try reader.initializer("beta_initializer", default: Zeros()),
                  gammaInitializer: try reader.initializer("gamma_initializer", default: Ones()),
                  movingMeanInitializer: try reader.initializer("moving_mean_initializer", default: Zeros()),
                  movingVarianceInitializer: try reader.initializer("moving_variance_initializer", default: Ones()),
                  betaRegularizer: try reader.regularizer("beta_regularizer"),
                  gammaRegularizer: try reader.regularizer("gamma_regularizer"),
                  synchronized: try reader.bool("synchronized", default: false),
                  name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
        renormMomentum = try reader.double("renorm_momentum", default: 0.99)
    }

    open override var usesTrainingFlag: Bool { true }

    open override func build(inputShape: [Int]) {
        let features = [inputShape[normalizedAxis(rank: inputShape.count)]]
        if scale { gamma = addWeight(name: "gamma", shape: features, initializer: gammaInitializer, regularizer: gammaRegularizer) }
        if center { beta = addWeight(name: "beta", shape: features, initializer: betaInitializer, regularizer: betaRegularizer) }
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

    open override var config: JSONObject {
        var object = super.config
        object["axis"] = .int(axis)
        object["momentum"] = .double(momentum)
        object["epsilon"] = .double(epsilon)
        object["center"] = .bool(center)
        object["scale"] = .bool(scale)
        object["beta_initializer"] = betaInitializer.serialized()
        object["gamma_initializer"] = gammaInitializer.serialized()
        object["moving_mean_initializer"] = movingMeanInitializer.serialized()
        object["moving_variance_initializer"] = movingVarianceInitializer.serialized()
        object["beta_regularizer"] = .serialized(betaRegularizer)
        object["gamma_regularizer"] = .serialized(gammaRegularizer)
        object["beta_constraint"] = .null
        object["gamma_constraint"] = .null
        object["synchronized"] = .bool(synchronized)
        object["renorm"] = .bool(false)
        object["renorm_clipping"] = .null
        object["renorm_momentum"] = .double(renormMomentum)
        return object
    }
}
