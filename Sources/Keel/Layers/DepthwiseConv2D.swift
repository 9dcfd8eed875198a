/// Keras's `DepthwiseConv2D`: each input channel convolved with its own `depth_multiplier`
/// filters (kernel (kh, kw, in_channels, depth_multiplier)), plus bias and activation. Output
/// channel c·depth_multiplier + j comes from input channel c, as in Keras.
@Component(.layer)
open class DepthwiseConv2D: Layer {
    open override class var kerasClassName: String { "DepthwiseConv2D" }

    @Hyper("depth_multiplier", .inRange(1...(1 << 16))) public var depthMultiplier = 1
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntPair
    @Hyper("strides", .allPositive()) public var strides: IntPair = 1
    @Hyper("padding") public var padding: Padding = .valid
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntPair = 1
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
        let shape = try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 4), what: "channels")
        try checkBuiltDimension(channels, builtFor: kernel?.shape[2], what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], kernelSize[1], channels, depthMultiplier]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        let outChannels = channels * depthMultiplier  // both at most 2^45 and 2^16: no overflow
        try checkWeightFits([outChannels], weight: "bias", shapes: inputShapes)
        try checkConstraintFits(depthwiseConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [outChannels], weight: "bias", shapes: inputShapes)
        let spatial = try kernelWindowOutputs(shape, format: dataFormat, kernel: kernelSize.values, strides: strides.values,
                                              dilation: dilationRate.values, padding: padding, shapes: inputShapes)
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: outChannels)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 4)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], kernelSize[1], channels, depthMultiplier],
                           initializer: depthwiseInitializer, regularizer: depthwiseRegularizer,
                           constraint: depthwiseConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [channels * depthMultiplier], initializer: biasInitializer,
                             regularizer: biasRegularizer, constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).depthwiseConv2d(
            kernel.value, strides: strides.tuple, padding: padding, dilation: dilationRate.tuple)
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
