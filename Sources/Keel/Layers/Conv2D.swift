/// Keras's `Conv2D`: a 2-D convolution with a (kh, kw, in_channels / groups, filters) kernel, plus
/// bias and activation. Grouped convolutions split the channels into `groups` independent
/// convolutions whose outputs are concatenated, as Keras does.
open class Conv2D: Layer {
    open override class var kerasClassName: String { "Conv2D" }

    public let filters: Int
    public let kernelSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding
    public let dataFormat: DataFormat
    public let dilationRate: (Int, Int)
    public let groups: Int
    public let activation: Activation
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    public let kernelRegularizer: Regularizer?
    public let biasRegularizer: Regularizer?
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                dataFormat: DataFormat = .channelsLast, dilationRate: (Int, Int) = (1, 1), groups: Int = 1,
                activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = GlorotUniform(), biasInitializer: Initializer = Zeros(),
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, name: String? = nil, trainable: Bool = true) {
        precondition(filters > 0 && groups > 0 && filters % groups == 0,
                     "Conv2D: filters (\(filters)) must be a positive multiple of groups (\(groups))")
        precondition(kernelSize.0 > 0 && kernelSize.1 > 0 && strides.0 > 0 && strides.1 > 0
                     && dilationRate.0 > 0 && dilationRate.1 > 0,
                     "Conv2D: kernel size \(kernelSize), strides \(strides) and dilation \(dilationRate) must be positive")
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dataFormat = dataFormat
        self.dilationRate = dilationRate
        self.groups = groups
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
                            dilationRate: (Int, Int) = (1, 1), groups: Int = 1, activation: String, useBias: Bool = true,
                            name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
                  groups: groups, activation: LayerActivations.named(activation), useBias: useBias, name: name)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Conv2D")
        let base = try reader.layerBase()
        let filters = try reader.positiveInt("filters", maximum: 1 << 16), groups = try reader.positiveInt("groups", default: 1)
        guard filters > 0, groups > 0, filters % groups == 0 else {
            throw KeelError("\(reader.owner): fields 'filters' and 'groups'",
                            expected: "filters a positive multiple of groups", found: "\(filters) and \(groups)")
        }
        let spatial = try ConvolutionFields(reader)
        try reader.requireNoConstraint("kernel_constraint")
        try reader.requireNoConstraint("bias_constraint")
        self.init(filters: filters, kernelSize: spatial.kernelSize, strides: spatial.strides, padding: spatial.padding,
                  dataFormat: spatial.dataFormat, dilationRate: spatial.dilationRate, groups: groups,
                  activation: try reader.activation(), useBias: try reader.bool("use_bias", default: true),
                  kernelInitializer: try reader.initializer("kernel_initializer", default: GlorotUniform()),
                  biasInitializer: try reader.initializer("bias_initializer", default: Zeros()),
                  kernelRegularizer: try reader.regularizer("kernel_regularizer"),
                  biasRegularizer: try reader.regularizer("bias_regularizer"),
                  activityRegularizer: base.activityRegularizer, name: base.name, trainable: base.trainable)
    }

    open override func build(inputShape: [Int]) {
        precondition(inputShape.count == 4, "Conv2D '\(name)': expected a 4-D input, got shape \(inputShape)")
        let channels = inputShape[dataFormat.channelAxis(rank: 4)]
        precondition(channels % groups == 0,
                     "Conv2D '\(name)': \(channels) input channels do not split into \(groups) groups")
        kernel = addWeight(name: "kernel", shape: [kernelSize.0, kernelSize.1, channels / groups, filters],
                           initializer: kernelInitializer, regularizer: kernelRegularizer)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = dataFormat.toChannelsLast(input)
        let k = kernel.value
        var output: Tensor
        if groups == 1 {
            output = x.conv2d(k, strides: strides, padding: padding, dilation: dilationRate)
        } else {
            let pieces = zip(x.split(count: groups, axis: 3), k.split(count: groups, axis: 3)).map { xi, ki in
                xi.conv2d(ki, strides: strides, padding: padding, dilation: dilationRate)
            }
            output = Tensor.concatenate(pieces, axis: 3)
        }
        if let bias { output = output + bias.value }
        // The activation sees the output in the layer's own format (it matters for softmax).
        return activation(dataFormat.fromChannelsLast(output))
    }

    open override var config: JSONObject {
        var object = super.config
        object["filters"] = .int(filters)
        object["kernel_size"] = .pair(kernelSize)
        object["strides"] = .pair(strides)
        object["padding"] = .string(padding.rawValue)
        object["data_format"] = .string(dataFormat.rawValue)
        object["dilation_rate"] = .pair(dilationRate)
        object["groups"] = .int(groups)
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

/// The spatial fields Conv2D and Conv2DTranspose read the same way.
struct ConvolutionFields {
    let kernelSize: (Int, Int)
    let strides: (Int, Int)
    let padding: Padding
    let dataFormat: DataFormat
    let dilationRate: (Int, Int)

    init(_ reader: ConfigReader) throws {
        kernelSize = try reader.pair("kernel_size")
        strides = try reader.pair("strides", default: (1, 1))
        padding = try reader.padding()
        dataFormat = try reader.dataFormat()
        dilationRate = try reader.pair("dilation_rate", default: (1, 1))
        for (key, value) in [("kernel_size", kernelSize), ("strides", strides), ("dilation_rate", dilationRate)]
        where value.0 <= 0 || value.1 <= 0 {
            throw KeelError("\(reader.owner): field '\(key)'", expected: "positive integers", found: "\(value)")
        }
    }
}
