/// Evolved sign momentum (`keras.optimizers.Lion`): every element moves by exactly the learning
/// rate, in the direction of the sign of an interpolated momentum.
open class Lion: Optimizer {
    override open class var kerasClassName: String { "Lion" }
    override open class var defaultName: String { "lion" }
    override open class var configKeys: [String]? { ["beta_1", "beta_2"] }

    public let beta1: Double
    public let beta2: Double

    public init(learningRate: LearningRate = 0.001, beta1: Double = 0.9, beta2: Double = 0.99,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        precondition(beta1 > 0 && beta1 <= 1, "Lion: beta1 must be in (0, 1], found \(beta1)")
        self.beta1 = beta1
        self.beta2 = beta2
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Lion config")
        beta1 = try reader.double("beta_1", default: 0.9)
        guard beta1 > 0 && beta1 <= 1 else {
            throw KeelError("Lion config: field 'beta_1'", expected: "a number in (0, 1]", found: "\(beta1)")
        }
        beta2 = try reader.double("beta_2", default: 0.99)
        try super.init(baseConfig: reader)
    }

    override open func build(for variables: [Variable]) {
        addSlots(["momentum"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        // Keras casts β to float32 first, so 1 − β is computed in float32.
        let beta1 = Float(beta1), beta2 = Float(beta2)
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
        updateElements(of: variable, slot("momentum", for: variable), gradient: gradient) { n, w, m, g in
            var i = 0
            while i < n {
                let direction = m[i] * beta1 + g[i] * oneMinusBeta1
                // sign(NaN) stays NaN, so a broken gradient shows in the weights as in Keras.
                let sign: Float = direction > 0 ? 1 : (direction < 0 ? -1 : (direction == 0 ? 0 : direction))
                w[i] -= lr * sign
                m[i] = m[i] * beta2 + g[i] * oneMinusBeta2
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["beta_1"] = .double(beta1)
        c["beta_2"] = .double(beta2)
        return c
    }
}
