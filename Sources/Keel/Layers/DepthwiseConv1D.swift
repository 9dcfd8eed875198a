/// Keras's `DepthwiseConv1D`: each input channel of a sequence convolved with its own
/// `depth_multiplier` filters (kernel (k, in_channels, depth_multiplier)), plus bias and
/// activation; output channel c·depth_multiplier + j comes from input channel c, as in Keras.
/// Runs on DepthwiseConv2D's kernels, the sequence one row high.
@Component(.layer)
open class DepthwiseConv1D: Layer {
    open override class var kerasClassName: String { "DepthwiseConv1D" }

    @Hyper("depth_multiplier", .inRange(1...(1 << 16))) public var depthMultiplier = 1
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<One>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<One> = 1
    @Hyper("padding") public var padding: Padding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<One> = 1
    @Hyper("activation") public var activation: Activation = .linear
    @Hyper("use_bias") public var useBias = true
    @Hyper("depthwise_initializer") public var depthwiseInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("depthwise_regularizer") public var depthwiseRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("depthwise_constraint") public var depthwiseConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 3), what: "channels")
        try checkBuiltDimension(channels, builtFor: kernel?.shape[1], what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], channels, depthMultiplier]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        let outChannels = channels * depthMultiplier  // both at most 2^45 and 2^16: no overflow
        try checkWeightFits([outChannels], weight: "bias", shapes: inputShapes)
        try checkConstraintFits(depthwiseConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [outChannels], weight: "bias", shapes: inputShapes)
        let steps = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                            dilation: dilationRate.values, padding: padding, shapes: inputShapes)
        return dataFormat.shape(batch: shape[0], spatial: steps, channels: outChannels)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 3)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], channels, depthMultiplier],
                           initializer: depthwiseInitializer, regularizer: depthwiseRegularizer,
                           constraint: depthwiseConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [channels * depthMultiplier], initializer: biasInitializer,
                             regularizer: biasRegularizer, constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).asImageRow.depthwiseConv2d(
            kernel.value.asKernelRow, strides: (1, strides[0]), padding: padding, dilation: (1, dilationRate[0])).asSequence
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
