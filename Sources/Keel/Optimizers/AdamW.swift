/// Adam with decoupled weight decay (`keras.optimizers.AdamW`): the decay itself is the base
/// optimizer's; AdamW only makes it on by default (0.004) and mandatory.
open class AdamW: Adam {
    override open class var kerasClassName: String { "AdamW" }
    override open class var defaultName: String { "adam_w" }
    override open class var defaultWeightDecay: Double? { 0.004 }

    public init(learningRate: LearningRate = 0.001, weightDecay: Double = 0.004, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-7, amsgrad: Bool = false, clipnorm: Double? = nil,
                clipvalue: Double? = nil, globalClipnorm: Double? = nil, lossScaleFactor: Double? = nil,
                name: String? = nil) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                   weightDecay: weightDecay, clipnorm: clipnorm, clipvalue: clipvalue, globalClipnorm: globalClipnorm,
                   lossScaleFactor: lossScaleFactor, name: name)
    }

    /// A missing `weight_decay` means the default; an explicit null is an error, as in Keras.
    override public init(config: JSONObject) throws {
        if let value = config["weight_decay"], value.isNull {
            throw KeelError("AdamW config: field 'weight_decay'", expected: "a number", found: "null")
        }
        try super.init(config: config)
    }
}
