import Foundation

/// Adaptive moment estimation (`keras.optimizers.Adam`), optionally AMSGrad (never letting the
/// second-moment estimate decrease).
open class Adam: Optimizer {
    override open class var kerasClassName: String { "Adam" }
    override open class var defaultName: String { "adam" }
    override open class var configKeys: [String]? { ["beta_1", "beta_2", "epsilon", "amsgrad"] }

    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let amsgrad: Bool

    public init(learningRate: LearningRate = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
                amsgrad: Bool = false, weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "\(Self.kerasClassName) config")
        beta1 = try reader.double("beta_1", default: 0.9)
        beta2 = try reader.double("beta_2", default: 0.999)
        epsilon = try reader.double("epsilon", default: 1e-7)
        amsgrad = try reader.bool("amsgrad", default: false)
        try super.init(baseConfig: reader)
    }

    /// Keras's order: momentum and velocity interleaved per variable, then all velocity maxima.
    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "velocity"], for: variables)
        if amsgrad { addSlots(["velocity_hat"], for: variables) }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let step = Float(iterations + 1)
        let beta1Power = pow(Float(beta1), step), beta2Power = pow(Float(beta2), step)
        // Bias correction folded into the step size; epsilon stays uncorrected ("epsilon hat").
        let alpha = lr * (1 - beta2Power).squareRoot() / (1 - beta1Power)
        let oneMinusBeta1 = Float(1 - beta1), oneMinusBeta2 = Float(1 - beta2), epsilon = Float(epsilon)
        let momentum = slot("momentum", for: variable), velocity = slot("velocity", for: variable)
        guard amsgrad else {
            updateElements(of: variable, momentum, velocity, gradient: gradient) { n, w, m, v, g in
                OptimizerKernels.adamStep(count: n, w: w, m: m, v: v, g: g, alpha: alpha, oneMinusBeta1: oneMinusBeta1,
                                          oneMinusBeta2: oneMinusBeta2, epsilon: epsilon)
            }
            return
        }
        updateElements(of: variable, momentum, velocity, slot("velocity_hat", for: variable),
                       gradient: gradient) { n, w, m, v, vHat, g in
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
                vHat[i] = max(vHat[i], v[i])
                w[i] -= m[i] * alpha / (vHat[i].squareRoot() + epsilon)
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["beta_1"] = .double(beta1)
        c["beta_2"] = .double(beta2)
        c["epsilon"] = .double(epsilon)
        c["amsgrad"] = .bool(amsgrad)
        return c
    }
}

