/// Keras's `Conv1DTranspose`: the gradient of a 1-D convolution run forwards (a learned
/// upsampling of a sequence), with a (k, filters, in_channels) kernel and output lengths exactly
/// as Keras computes them. Runs on Conv2DTranspose's kernels, the sequence one row high.
@Component(.layer)
open class Conv1DTranspose: Layer {
    open override class var kerasClassName: String { "Conv1DTranspose" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<One>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<One> = 1
    @Hyper("padding") public var padding: Padding = .valid
    /// nil lets Keras's rule choose the output length (see `ConvArithmetic.transposedConvolution`).
    @Hyper("output_padding") public var outputPadding: IntTuple<One>? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<One> = 1
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
        if let outputPadding, !(outputPadding[0] >= 0 && outputPadding[0] < strides[0]) {
            throw KeelError("\(nameForMessages): field 'output_padding'",
                            expected: "a value from 0 to below the strides \(strides.values)", found: "\(outputPadding.values)")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 3), what: "channels")
        try checkBuiltDimension(channels, builtFor: kernel?.shape[2], what: "channels", shapes: inputShapes)
        let kernelShape = [kernelSize[0], filters, channels]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let stepsAxis = dataFormat.spatialAxes(rank: 3)[0]
        if let length = shape[stepsAxis],
           let problem = ConvArithmetic.axisProblem(length: length, kernel: kernelSize[0], stride: strides[0], dilation: dilationRate[0],
                                                    transposedWithOutputPadding: .some(outputPadding?[0])) {
            throw invalidInput(expected: "a kernel window the input can take (\(problem))", found: inputShapes)
        }
        let steps = shape[stepsAxis].map {
            ConvArithmetic.transposedConvolution(length: $0, kernel: kernelSize[0], stride: strides[0], dilation: dilationRate[0],
                                                 padding: padding, outputPadding: outputPadding?[0]).output
        }
        if let steps, steps <= 0 {
            throw invalidInput(expected: "a kernel and strides that give at least one output step", found: inputShapes)
        }
        return dataFormat.shape(batch: shape[0], spatial: [steps], channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 3)]
        kernel = addWeight(name: "kernel", shape: [kernelSize[0], filters, channels],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).asImageRow.conv2dTranspose(
            kernel.value.asKernelRow, strides: (1, strides[0]), padding: padding, dilation: (1, dilationRate[0]),
            outputPadding: outputPadding.map { (0, $0[0]) }).asSequence
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
