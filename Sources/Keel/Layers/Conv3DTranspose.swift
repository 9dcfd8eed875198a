/// Keras's `Conv3DTranspose`: the gradient of a 3-D convolution run forwards (a learned
/// upsampling of volumes), with a (kd, kh, kw, filters, in_channels) kernel and output sizes
/// exactly as Keras computes them.
@Component(.layer)
open class Conv3DTranspose: Layer {
    open override class var kerasClassName: String { "Conv3DTranspose" }

    @Hyper("filters", .inRange(1...(1 << 16))) public var filters: Int
    @Hyper("kernel_size", .allPositive()) public var kernelSize: IntTuple<Three>
    @Hyper("strides", .allPositive()) public var strides: IntTuple<Three> = 1
    @Hyper("padding") public var padding: Padding = .valid
    /// nil lets Keras's rule choose the output size (see `ConvArithmetic.transposedConvolution`).
    @Hyper("output_padding") public var outputPadding: IntTuple<Three>? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("dilation_rate", .allPositive()) public var dilationRate: IntTuple<Three> = 1
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
        let shape = try singleInput(inputShapes, rank: 5...5, layout: dataFormat.volumeAxesDescription)
        let channels = try knownDimension(inputShapes, axis: dataFormat.channelAxis(rank: 5), what: "channels")
        try checkBuiltDimension(channels, builtFor: kernel?.shape[4], what: "channels", shapes: inputShapes)
        let kernelShape = kernelSize.values + [filters, channels]
        try checkWeightFits(kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: kernelShape, weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [filters], weight: "bias", shapes: inputShapes)
        let spatial = try dataFormat.spatialAxes(rank: 5).enumerated().map { i, axis -> Int? in
            guard let length = shape[axis] else { return nil }
            if let problem = ConvArithmetic.axisProblem(length: length, kernel: kernelSize[i], stride: strides[i],
                                                        dilation: dilationRate[i],
                                                        transposedWithOutputPadding: .some(outputPadding?[i])) {
                throw invalidInput(expected: "a volume the transposed convolution can take (\(problem))", found: inputShapes)
            }
            return ConvArithmetic.transposedConvolution(length: length, kernel: kernelSize[i], stride: strides[i],
                                                        dilation: dilationRate[i], padding: padding,
                                                        outputPadding: outputPadding?[i]).output
        }
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: filters)
    }

    open override func build(inputShape: [Int]) {
        let channels = inputShape[dataFormat.channelAxis(rank: 5)]
        kernel = addWeight(name: "kernel", shape: kernelSize.values + [filters, channels],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [filters], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = dataFormat.toChannelsLast(input).conv3dTranspose(
            kernel.value, strides: strides.values, padding: padding, dilation: dilationRate.values,
            outputPadding: outputPadding?.values)
        if let bias { output = output + bias.value }
        return activation(dataFormat.fromChannelsLast(output))
    }
}
