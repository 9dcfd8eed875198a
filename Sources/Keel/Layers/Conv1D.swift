/// Keras's `Conv1D`: a convolution along the steps of a sequence with a (k, in_channels / groups,
/// filters) kernel, plus bias and activation. "causal" padding pads `dilation_rate · (k − 1)`
/// zeros before the first step, so that output step t depends only on input steps up to t.
/// Runs on Conv2D's kernels, the sequence viewed as an image one row high.
@Component(.layer)
open class Conv1D: Layer {
    open override class var kerasClassName: String { "Conv1D" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<One>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<One> = 1
    @Hyper("padding") public var padding: SequencePadding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<One> = 1
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

    /// The zeros causal padding puts before the first step.
    var causalPadding: Int { padding == .causal ? dilationRate[0] * (kernelSize[0] - 1) : 0 }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 3), what: "channels")
        guard channels % groups == 0 else {
            throw invalidInput(expected: "input channels divisible by groups (\(groups))", found: inputShapes)
        }
        try checkBuiltDimension(channels, builtFor: kernel.map { $0.shape[1] * groups }, what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], channels / groups, filters]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let steps = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                            dilation: dilationRate.values, padding: padding.lengthPadding, shapes: inputShapes)
        return dataFormat.shape(batch: shape[0], spatial: steps, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 3)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], channels / groups, filters],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var x = dataFormat.toChannelsLast(input)
        if causalPadding > 0 { x = x.padded([(0, 0), (causalPadding, 0), (0, 0)]) }
        var output = x.asImageRow.groupedConv2d(kernel.value.asKernelRow, groups: groups, strides: (1, strides[0]),
                                                padding: padding.convolutionPadding,
                                                dilation: (1, dilationRate[0])).asSequence
        if let bias { output = output + bias.value }
        // The activation sees the output in the layer's own format (it matters for softmax).
        return activation(dataFormat.fromChannelsLast(output))
    }
}
