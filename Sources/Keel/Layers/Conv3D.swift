/// Keras's `Conv3D`: a 3-D convolution over volumes with a (kd, kh, kw, in_channels / groups,
/// filters) kernel, plus bias and activation. Grouped convolutions split the channels into
/// `groups` independent convolutions whose outputs are concatenated, as Keras does.
@Component(.layer)
open class Conv3D: Layer {
    open override class var kerasClassName: String { "Conv3D" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<Three>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<Three> = 1
    @Hyper("padding") public var padding: Padding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<Three> = 1
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
        let shape = try singleInput(inputShapes, rank: 5...5, layout: dataFormat.volumeAxesDescription)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 5), what: "channels")
        guard channels % groups == 0 else {
            throw invalidInput(expected: "input channels divisible by groups (\(groups))", found: inputShapes)
        }
        try checkBuiltDimension(channels, builtFor: kernel.map { $0.shape[3] * groups }, what: "channels", shapes: inputShapes)
        let kernelShape = kernelSize.values + [channels / groups, filters]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let spatial = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                              dilation: dilationRate.values, padding: padding, shapes: inputShapes)
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 5)]
        kernel = addWeight(name: "kernel", shape: kernelSize.values + [channels / groups, filters],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = dataFormat.toChannelsLast(input)
        let k = kernel.value
        var output: Tensor
        if groups == 1 {
            output = x.conv3d(k, strides: strides.values, padding: padding, dilation: dilationRate.values)
        } else {
            let pieces = zip(x.split(count: groups, axis: 4), k.split(count: groups, axis: 4)).map { xi, ki in
                xi.conv3d(ki, strides: strides.values, padding: padding, dilation: dilationRate.values)
            }
            output = Tensor.concatenate(pieces, axis: 4)
        }
        if let bias { output = output + bias.value }
        // The activation sees the output in the layer's own format (it matters for softmax).
        return activation(dataFormat.fromChannelsLast(output))
    }
}
