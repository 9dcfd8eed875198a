/// Keras's `Conv2D`: a 2-D convolution with a (kh, kw, in_channels / groups, filters) kernel, plus
/// bias and activation. Grouped convolutions split the channels into `groups` independent
/// convolutions whose outputs are concatenated, as Keras does.
@Component(.layer)
open class Conv2D: Layer {
    open override class var kerasClassName: String { "Conv2D" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntPair
    @Hyper("strides", .allPositive()) public var strides: IntPair = 1
    @Hyper("padding") public var padding: Padding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntPair = 1
    @Hyper("groups", .positive) public var groups = 1
    @Hyper("activation") public var activation: Activation = .linear
    @Hyper("use_bias") public var useBias = true
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    /// Keras's constructor refuses filters that do not split into the groups.
    open override func check() throws {
        try super.check()
        guard filters % groups == 0 else {
            throw KeelError("\(nameForMessages): fields 'filters' and 'groups'",
                            expected: "filters a multiple of groups (\(groups))", found: "\(filters) filters")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 4), what: "channels")
        guard channels % groups == 0 else {
            throw invalidInput(expected: "input channels divisible by groups (\(groups))", found: inputShapes)
        }
        try checkBuiltDimension(channels, builtFor: kernel.map { $0.shape[2] * groups }, what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], kernelSize[1], channels / groups, filters]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let spatial = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                              dilation: dilationRate.values, padding: padding, shapes: inputShapes)
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 4)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], kernelSize[1], channels / groups, filters],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                           constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = dataFormat.toChannelsLast(input)
        var output = x.groupedConv2d(kernel.value, groups: groups, strides: strides.tuple, padding: padding,
                                     dilation: dilationRate.tuple)
        if let bias { output = output + bias.value }
        // The activation sees the output in the layer's own format (it matters for softmax).
        return activation(dataFormat.fromChannelsLast(output))
    }
}

extension Tensor {
    /// A convolution whose channels split into `groups` independent convolutions (each with its
    /// slice of the kernel's filters), their outputs concatenated, as Keras's `groups` does.
    func groupedConv2d(_ kernel: Tensor, groups: Int, strides: (Int, Int), padding: Padding, dilation: (Int, Int)) -> Tensor {
        guard groups > 1 else { return conv2d(kernel, strides: strides, padding: padding, dilation: dilation) }
        let pieces = zip(split(count: groups, axis: 3), kernel.split(count: groups, axis: 3)).map { xi, ki in
            xi.conv2d(ki, strides: strides, padding: padding, dilation: dilation)
        }
        return Tensor.concatenate(pieces, axis: 3)
    }
}
