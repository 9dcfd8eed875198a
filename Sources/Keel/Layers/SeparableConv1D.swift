/// Keras's `SeparableConv1D`: a depthwise convolution along the steps (kernel (k, in_channels,
/// depth_multiplier)) followed by a pointwise one mixing the channels (kernel
/// (1, in_channels·depth_multiplier, filters)), plus bias and activation. Runs on the 2-D
/// kernels, the sequence one row high.
@Component(.layer)
open class SeparableConv1D: Layer {
    open override class var kerasClassName: String { "SeparableConv1D" }

    @Hyper("depth_multiplier", .inRange(1...(1 << 16))) public var depthMultiplier = 1
    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<One>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<One> = 1
    @Hyper("padding") public var padding: Padding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<One> = 1
    @Hyper("activation") public var activation: Activation = .linear
    @Hyper("use_bias") public var useBias = true
    @Hyper("depthwise_initializer") public var depthwiseInitializer: Initializer = GlorotUniform()
    @Hyper("pointwise_initializer") public var pointwiseInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("depthwise_regularizer") public var depthwiseRegularizer: Regularizer? = nil
    @Hyper("pointwise_regularizer") public var pointwiseRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("depthwise_constraint") public var depthwiseConstraint: Constraint? = nil
    @Hyper("pointwise_constraint") public var pointwiseConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    public private(set) var depthwiseKernel: Variable!
    public private(set) var pointwiseKernel: Variable!
    public private(set) var bias: Variable?

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 3), what: "channels")
        try checkBuiltDimension(channels, builtFor: depthwiseKernel?.shape[1], what: "channels", shapes: inputShapes)
        let depthwiseShape = [kernelSize[0], channels, depthMultiplier]
        try checkWeightFits(depthwiseShape, weight: "depthwise_kernel", shapes: inputShapes)
        let pointwiseShape = [1, channels * depthMultiplier, filters]  // at most 2^45 · 2^16: no overflow
        try checkWeightFits(pointwiseShape, weight: "pointwise_kernel", shapes: inputShapes)
        try checkConstraintFits(depthwiseConstraint, weightShape: depthwiseShape, weight: "depthwise_kernel", shapes: inputShapes)
        try checkConstraintFits(pointwiseConstraint, weightShape: pointwiseShape, weight: "pointwise_kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let steps = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                            dilation: dilationRate.values, padding: padding, shapes: inputShapes)
        return dataFormat.shape(batch: shape[0], spatial: steps, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 3)]
        depthwiseKernel = addWeight(name: "depthwise_kernel", shape: [kernelSize[0], channels, depthMultiplier],
                                    initializer: depthwiseInitializer, regularizer: depthwiseRegularizer,
                                    constraint: depthwiseConstraint)
        pointwiseKernel = addWeight(name: "pointwise_kernel", shape: [1, channels * depthMultiplier, filters],
                                    initializer: pointwiseInitializer, regularizer: pointwiseRegularizer,
                                    constraint: pointwiseConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let depthwise = dataFormat.toChannelsLast(input).asImageRow.depthwiseConv2d(
            depthwiseKernel.value.asKernelRow, strides: (1, strides[0]), padding: padding, dilation: (1, dilationRate[0]))
        // A 1×1 stride-1 convolution: one GEMM over all steps.
        var output = depthwise.conv2d(pointwiseKernel.value.asKernelRow).asSequence
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
