import Foundation

/// Follow The Regularized Leader (`keras.optimizers.Ftrl`), with online L1/L2 regularization and
/// L2 shrinkage.
open class Ftrl: Optimizer {
    override open class var kerasClassName: String { "Ftrl" }
    override open class var defaultName: String { "ftrl" }
    override open class var configKeys: [String]? {
        ["learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
         "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"]
    }

    public let learningRatePower: Double
    public let initialAccumulatorValue: Double
    public let l1RegularizationStrength: Double
    public let l2RegularizationStrength: Double
    public let l2ShrinkageRegularizationStrength: Double
    public let beta: Double

    public init(learningRate: LearningRate = 0.001, learningRatePower: Double = -0.5,
                initialAccumulatorValue: Double = 0.1, l1RegularizationStrength: Double = 0,
                l2RegularizationStrength: Double = 0, l2ShrinkageRegularizationStrength: Double = 0, beta: Double = 0,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        if let problem = Self.invalidArgument(learningRatePower, initialAccumulatorValue, l1RegularizationStrength,
                                              l2RegularizationStrength, l2ShrinkageRegularizationStrength) {
            preconditionFailure("Ftrl: \(problem.field) must be \(problem.expected), found \(problem.found)")
        }
        self.learningRatePower = learningRatePower
        self.initialAccumulatorValue = initialAccumulatorValue
        self.l1RegularizationStrength = l1RegularizationStrength
        self.l2RegularizationStrength = l2RegularizationStrength
        self.l2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength
        self.beta = beta
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Ftrl config")
        learningRatePower = try reader.double("learning_rate_power", default: -0.5)
        initialAccumulatorValue = try reader.double("initial_accumulator_value", default: 0.1)
        l1RegularizationStrength = try reader.double("l1_regularization_strength", default: 0)
        l2RegularizationStrength = try reader.double("l2_regularization_strength", default: 0)
        l2ShrinkageRegularizationStrength = try reader.double("l2_shrinkage_regularization_strength", default: 0)
        beta = try reader.double("beta", default: 0)
        if let problem = Self.invalidArgument(learningRatePower, initialAccumulatorValue, l1RegularizationStrength,
                                              l2RegularizationStrength, l2ShrinkageRegularizationStrength) {
            throw KeelError("Ftrl config: field '\(problem.field)'", expected: problem.expected, found: problem.found)
        }
        try super.init(baseConfig: reader)
    }

    /// Keras's argument checks: the power is not positive, accumulators and strengths not negative.
    private static func invalidArgument(_ power: Double, _ accumulator: Double, _ l1: Double, _ l2: Double,
                                        _ shrinkage: Double) -> (field: String, expected: String, found: String)? {
        if power > 0 { return ("learning_rate_power", "a number <= 0", "\(power)") }
        for (field, value) in [("initial_accumulator_value", accumulator), ("l1_regularization_strength", l1),
                               ("l2_regularization_strength", l2), ("l2_shrinkage_regularization_strength", shrinkage)]
        where value < 0 {
            return (field, "a number >= 0", "\(value)")
        }
        return nil
    }

    override open func build(for variables: [Variable]) {
        addSlots([("accumulator", Float(initialAccumulatorValue)), ("linear", 0)], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let negativePower = Float(-learningRatePower)
        let l1 = Float(l1RegularizationStrength)
        let l2 = Float(l2RegularizationStrength) + Float(beta) / (2 * lr)
        let shrinkage = Float(2 * l2ShrinkageRegularizationStrength)
        updateElements(of: variable, slot("accumulator", for: variable), slot("linear", for: variable),
                       gradient: gradient) { n, w, accumulator, linear, g in
            var i = 0
            while i < n {
                let adjustedGradient = g[i] + shrinkage * w[i]
                let newAccumulator = accumulator[i] + g[i] * g[i]
                let poweredNew = pow(newAccumulator, negativePower)
                linear[i] += adjustedGradient - (poweredNew - pow(accumulator[i], negativePower)) / lr * w[i]
                let quadratic = poweredNew / lr + 2 * l2
                let clipped = min(max(linear[i], -l1), l1)
                w[i] = (clipped - linear[i]) / quadratic
                accumulator[i] = newAccumulator
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["learning_rate_power"] = .double(learningRatePower)
        c["initial_accumulator_value"] = .double(initialAccumulatorValue)
        c["l1_regularization_strength"] = .double(l1RegularizationStrength)
        c["l2_regularization_strength"] = .double(l2RegularizationStrength)
        c["l2_shrinkage_regularization_strength"] = .double(l2ShrinkageRegularizationStrength)
        c["beta"] = .double(beta)
        return c
    }
}
