/// Scales each step by the inverse root of the summed squared gradients (`keras.optimizers.Adagrad`).
open class Adagrad: Optimizer {
    override open class var kerasClassName: String { "Adagrad" }
    override open class var defaultName: String { "adagrad" }
    override open class var configKeys: [String]? { ["initial_accumulator_value", "epsilon"] }

    public let initialAccumulatorValue: Double
    public let epsilon: Double

    public init(learningRate: LearningRate = 0.001, initialAccumulatorValue: Double = 0.1, epsilon: Double = 1e-7,
                weightDecay: Double? = nil, clipnorm: Double? = nil, clipvalue: Double? = nil,
                globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil, name: String? = nil) {
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
        super.init(name: name, learningRate: learningRate, clipnorm: clipnorm, clipvalue: clipvalue,
                   globalClipnorm: globalClipnorm, weightDecay: weightDecay, lossScaleFactor: lossScaleFactor)
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Adagrad config")
        initialAccumulatorValue = try reader.double("initial_accumulator_value", default: 0.1)
        epsilon = try reader.double("epsilon", default: 1e-7)
        try super.init(baseConfig: reader)
    }

    override open func build(for variables: [Variable]) {
        addSlots(["accumulator"], for: variables, initialValue: Float(initialAccumulatorValue))
    }

    override open func update(_ variable: Variable, gradient: Tensor, learningRate lr: Float) {
        let epsilon = Float(epsilon)
        updateElements(of: variable, slot("accumulator", for: variable), gradient: gradient) { n, w, acc, g in
            var i = 0
            while i < n {
                acc[i] += g[i] * g[i]
                w[i] -= lr * g[i] / (acc[i] + epsilon).squareRoot()
                i &+= 1
            }
        }
    }

    override open var config: JSONObject {
        var c = super.config
        c["initial_accumulator_value"] = .double(initialAccumulatorValue)
        c["epsilon"] = .double(epsilon)
        return c
    }
}
