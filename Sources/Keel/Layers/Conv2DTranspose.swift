/// Keras's `Conv2DTranspose`: the gradient of a convolution run forwards (a learned upsampling),
/// with a (kh, kw, filters, in_channels) kernel and output sizes exactly as Keras computes them.
@Component(.layer)
open class Conv2DTranspose: Layer {
    open override class var kerasClassName: String { "Conv2DTranspose" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntPair
    @Hyper("strides", .allPositive()) public var strides: IntPair = 1
    @Hyper("padding") public var padding: Padding = .valid
    /// nil lets Keras's rule choose the output size (see `ConvArithmetic.transposedConvolution`).
    @Hyper("output_padding") public var outputPadding: IntPair? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntPair = 1
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

    /// Keras refuses an output padding that is not smaller than the stride.
    open override func check() throws {
        try super.check()
        if let outputPadding, !zip(outputPadding.values, strides.values).allSatisfy({ $0 >= 0 && $0 < $1 }) {
            throw KeelError("\(nameForMessages): field 'output_padding'",
                            expected: "values from 0 to below the strides \(strides.values)", found: "\(outputPadding.values)")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 4), what: "channels")
        try checkBuiltDimension(channels, builtFor: kernel?.shape[3], what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], kernelSize[1], filters, channels]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let spatial = dataFormat.spatialAxes(rank: 4).enumerated().map { i, axis in
            shape[axis].map {
                ConvArithmetic.transposedConvolution(length: $0, kernel: kernelSize[i], stride: strides[i], dilation: dilationRate[i],
                                                     padding: padding, outputPadding: outputPadding?[i]).output
            }
        }
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 4)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], kernelSize[1], filters, channels],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                           constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).conv2dTranspose(
            kernel.value, strides: strides.tuple, padding: padding, dilation: dilationRate.tuple, outputPadding: outputPadding?.tuple)
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
