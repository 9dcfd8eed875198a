/// Keras's `Conv2DTranspose`: the gradient of a convolution run forwards (a learned upsampling),
/// with a (kh, kw, filters, in_channels) kernel and output sizes exactly as Keras computes them.
open class Conv2DTranspose: Layer {
    open override class var kerasClassName: String { "Conv2DTranspose" }

    public let filters: Int
    public let kernelSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding
    /// nil lets Keras's rule choose the output size (see `ConvArithmetic.transposedConvolution`).
    public let outputPadding: (Int, Int)?
    public let dataFormat: DataFormat
    public let dilationRate: (Int, Int)
    public let activation: Activation
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    public let kernelRegularizer: Regularizer?
    public let biasRegularizer: Regularizer?
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                outputPadding: (Int, Int)? = nil, dataFormat: DataFormat = .channelsLast,
                dilationRate: (Int, Int) = (1, 1), activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = GlorotUniform(), biasInitializer: Initializer = Zeros(),
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        precondition(filters > 0, "Conv2DTranspose: filters must be positive, got \(filters)")
        precondition(kernelSize.0 > 0 && kernelSize.1 > 0 && strides.0 > 0 && strides.1 > 0
                     && dilationRate.0 > 0 && dilationRate.1 > 0,
                     "Conv2DTranspose: kernel size \(kernelSize), strides \(strides) and dilation \(dilationRate) must be positive")
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.outputPadding = outputPadding
        self.dataFormat = dataFormat
        self.dilationRate = dilationRate
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        super.init(name: name, trainable: trainable)
        self.activityRegularizer = activityRegularizer
    }

    /// The activation by its Keras name.
    public convenience init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            activation: String, useBias: Bool = true, name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                  activation: LayerActivations.named(activation), useBias: useBias, name: name)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Conv2DTranspose")
        let base = try reader.layerBase()
        let filters = try reader.positiveInt("filters", maximum: 1 << 16)
        guard filters > 0 else {
            throw KeelError("\(reader.owner): field 'filters'", expected: "a positive integer", found: "\(filters)")
        }
        let spatial = try ConvolutionFields(reader)
        try reader.requireNoConstraint("kernel_constraint")
        try reader.requireNoConstraint("bias_constraint")
        self.init(filters: filters, kernelSize: spatial.kernelSize, strides: spatial.strides, padding: spatial.padding,
                  outputPadding: try reader.optionalPair("output_padding"), dataFormat: spatial.dataFormat,
                  dilationRate: spatial.dilationRate, activation: try reader.activation(),
                  useBias: try reader.bool("use_bias", default: true),
                  kernelInitializer: try reader.initializer("kernel_initializer", default: GlorotUniform()),
                  biasInitializer: try reader.initializer("bias_initializer", default: Zeros()),
                  kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                  biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: base.activityRegularizer, name: base.name, trainable: base.trainable)
    }

    open override func build(inputShape: [Int]) {
        precondition(inputShape.count == 4, "Conv2DTranspose '\(name)': expected a 4-D input, got shape \(inputShape)")
        let channels = inputShape[dataFormat.channelAxis(rank: 4)]
        kernel = addWeight(name: "kernel", shape: [kernelSize.0, kernelSize.1, filters, channels],
                           initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).conv2dTranspose(
            kernel.value, strides: strides, padding: padding, dilation: dilationRate, outputPadding: outputPadding)
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }

    open override var config: JSONObject {
        var object = super.config
        object["filters"] = .int(filters)
        object["kernel_size"] = .pair(kernelSize)
        object["strides"] = .pair(strides)
        object["padding"] = .string(padding.rawValue)
        object["output_padding"] = .optionalPair(outputPadding)
        object["data_format"] = .string(dataFormat.rawValue)
        object["dilation_rate"] = .pair(dilationRate)
        object["activation"] = .string(activation.name)
        object["use_bias"] = .bool(useBias)
        object["kernel_initializer"] = kernelInitializer.serialized()
        object["bias_initializer"] = biasInitializer.serialized()
        object["kernel_regularizer"] = .serialized(kernelRegularizer)
        object["bias_regularizer"] = .serialized(biasRegularizer)
        object["activity_regularizer"] = .serialized(activityRegularizer)
        object["kernel_constraint"] = .null
        object["bias_constraint"] = .null
        return object
    }
}
