/// Steps sized by the ratio of running RMS of past updates to running RMS of gradients
/// (`keras.optimizers.Adadelta`).
open class Adadelta: Optimizer {
    override open class var kerasClassName: String { "Adadelta" }
    override open class var defaultName: String { "adadelta" }
    override open class var configKeys: [String]? { ["rho", "epsilon"] }

    public let rho: Double
    public let epsilon: Double

    public init(learningRate: LearningRate = 0.001, rho: Double = 0.95, epsilon: Double = 1e-7,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        self.rho = rho
        self.epsilon = epsilon
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Adadelta config")
        rho = try reader.double("rho", default: 0.95)
        epsilon = try reader.double("epsilon", default: 1e-7)
        try super.init(baseConfig: reader)
    }

    override open func build(for variables: [Variable]) {
        addSlots(["accumulated_grad", "accumulated_delta_var"], for: variables)
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let rho = Float(rho), oneMinusRho = Float(1 - self.rho), epsilon = Float(epsilon)
        updateElements(of: variable, slot("accumulated_grad", for: variable),
                       slot("accumulated_delta_var", for: variable), gradient: gradient) { n, w, eg, ed, g in
            var i = 0
            while i < n {
                eg[i] = rho * eg[i] + oneMinusRho * (g[i] * g[i])
                let delta = -((ed[i] + epsilon).squareRoot() * g[i] / (eg[i] + epsilon).squareRoot())
                ed[i] = rho * ed[i] + oneMinusRho * (delta * delta)
                w[i] += lr * delta
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["rho"] = .double(rho)
        c["epsilon"] = .double(epsilon)
        return c
    }
}
