/// Gradient descent with optional (Nesterov) momentum (`keras.optimizers.SGD`).
open class SGD: Optimizer {
    override open class var kerasClassName: String { "SGD" }
    override open class var defaultName: String { "sgd" }
    override open class var defaultLearningRate: Float { 0.01 }
    override open class var configKeys: [String]? { ["momentum", "nesterov"] }

    public let momentum: Double
    public let nesterov: Bool

    public init(learningRate: LearningRate = 0.01, momentum: Double = 0, nesterov: Bool = false,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        precondition((0...1).contains(momentum), "SGD: momentum must be in [0, 1], found \(momentum)")
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "SGD config")
        momentum = try reader.double("momentum", default: 0)
        guard (0...1).contains(momentum) else {
            throw KeelError("SGD config: field 'momentum'", expected: "a number in [0, 1]", found: "\(momentum)")
        }
        nesterov = try reader.bool("nesterov", default: false)
        try super.init(baseConfig: reader)
    }

    override open func build(for variables: [Variable]) {
        if momentum != 0 { addSlots(["momentum"], for: variables) }
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        guard momentum != 0 else {
            updateElements(of: variable, gradient: gradient) { n, w, g in
                var i = 0
                while i < n { w[i] -= g[i] * lr; i &+= 1 }
            }
            return
        }
        let mu = Float(momentum)
        let nesterov = nesterov
        updateElements(of: variable, slot("momentum", for: variable), gradient: gradient) { n, w, m, g in
            var i = 0
            while i < n {
                let step = g[i] * lr
                m[i] = m[i] * mu - step
                // Nesterov looks ahead along the new momentum instead of taking it.
                w[i] += nesterov ? m[i] * mu - step : m[i]
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["momentum"] = .double(momentum)
        c["nesterov"] = .bool(nesterov)
        return c
    }
}
