import Foundation

/// Adam with the infinity norm in place of the second moment (`keras.optimizers.Adamax`).
open class Adamax: Optimizer {
    override open class var kerasClassName: String { "Adamax" }
    override open class var defaultName: String { "adamax" }
    override open class var configKeys: [String]? { ["beta_1", "beta_2", "epsilon"] }

    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double

    public init(learningRate: LearningRate = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Adamax config")
        beta1 = try reader.double("beta_1", default: 0.9)
        beta2 = try reader.double("beta_2", default: 0.999)
        epsilon = try reader.double("epsilon", default: 1e-7)
        try super.init(baseConfig: reader)
    }

    override open func build(for variables: [Variable]) {
        addSlots(["momentum", "norm"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let beta1Power = pow(Float(beta1), Float(iterations + 1))
        let oneMinusBeta1 = Float(1 - beta1), beta2 = Float(beta2), epsilon = Float(epsilon)
        let correction = 1 - beta1Power
        updateElements(of: variable, slot("momentum", for: variable), slot("norm", for: variable),
                       gradient: gradient) { n, w, m, u, g in
            var i = 0
            while i < n {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                u[i] = max(beta2 * u[i], abs(g[i]))
                w[i] -= lr * m[i] / (correction * (u[i] + epsilon))
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["beta_1"] = .double(beta1)
        c["beta_2"] = .double(beta2)
        c["epsilon"] = .double(epsilon)
        return c
    }
}
