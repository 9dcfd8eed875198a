/// Keras's `Dense`: `activation(x · kernel + bias)` over the last axis; inputs of higher rank
/// apply the same kernel at every position.
open class Dense: Layer {
    open override class var kerasClassName: String { "Dense" }

    public let units: Int
    public let activation: Activation
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    public let kernelRegularizer: Regularizer?
    public let biasRegularizer: Regularizer?
    /// (input features, units); created by `build`.
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    public init(units: Int, activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = GlorotUniform(), biasInitializer: Initializer = Zeros(),
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        precondition(units > 0, "Dense: units must be positive, got \(units)")
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        super.init(name: name, trainable: trainable)
        self.activityRegularizer = activityRegularizer
    }

    /// The activation by its Keras name: `Dense(units: 64, activation: "relu")`.
    public convenience init(units: Int, activation: String, useBias: Bool = true,
                            kernelInitializer: Initializer = GlorotUniform(), biasInitializer: Initializer = Zeros(),
                            kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                            activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        self.init(units: units, activation: LayerActivations.named(activation), useBias: useBias,
                  kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                  kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                  activityRegularizer: activityRegularizer, name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Dense")
        let base = try reader.layerBase()
        let units = try reader.positiveInt("units", maximum: 1 << 24)
        guard units > 0 else { throw KeelError("\(reader.owner): field 'units'", expected: "a positive integer", found: "\(units)") }
        try reader.requireNoConstraint("kernel_constraint")
        try reader.requireNoConstraint("bias_constraint")
        if let quantization = reader.value("quantization_config") {
            throw KeelError("\(reader.owner): field 'quantization_config'", expected: "null (Keel does not quantize)",
                            found: quantization.summary)
        }
        self.init(units: units, activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  kernelInitializer: try reader.initializer("kernel_initializer", default: GlorotUniform()),
                  biasInitializer: try reader.initializer("bias_initializer", default: Zeros()),
                  kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                  biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: base.activityRegularizer, name: base.name, trainable: base.trainable)
    }

    open override func build(inputShape: [Int]) {
        precondition(inputShape.count >= 2, "Dense '\(name)': expected an input of rank ≥ 2, got shape \(inputShape)")
        kernel = addWeight(name: "kernel", shape: [inputShape[inputShape.count - 1], units],
                           initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias {
            bias = addWeight(name: "bias", shape: [units], initializer: biasInitializer, regularizer: biasRegularizer)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = input.matmul(kernel.value)
        if let bias { output = output + bias.value }
        return activation(output)
    }

    open override var config: JSONObject {
        var object = super.config
        object["units"] = .int(units)
        object["activation"] = .string(activation.name)
        object["use_bias"] = .bool(useBias)
        object["kernel_initializer"] = kernelInitializer.serialized()
        object["bias_initializer"] = biasInitializer.serialized()
        object["kernel_regularizer"] = .serialized(kernelRegularizer)
        object["bias_regularizer"] = .serialized(biasRegularizer)
        object["kernel_constraint"] = .null
        object["bias_constraint"] = .null
        object["quantization_config"] = .null
        return object
    }
}
