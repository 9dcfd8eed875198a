/// Keras's `Dense`: `activation(x · kernel + bias)` over the last axis; inputs of higher rank
/// apply the same kernel at every position.
@Component(.layer)
open class Dense: Layer {
    open override class var kerasClassName: String { "Dense" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = .linear
    @Hyper("use_bias") public var useBias = true
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("quantization_config", .mustBeNull("Keel does not quantize")) public var quantizationConfig: JSONValue? = nil
    /// (input features, units); created by `build`.
    public private(set) var kernel: Variable!
    public private(set) var bias: Variable?

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 2...8)
        let features = try knownDimension(inputShapes, axis: shape.count - 1, what: "feature (last)")
        try checkBuiltDimension(features, builtFor: kernel?.shape[0], what: "a last dimension of", shapes: inputShapes)
        try checkWeightFits([features, units], weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(kernelConstraint, weightShape: [features, units], weight: "kernel", shapes: inputShapes)
        try checkConstraintFits(useBias ? biasConstraint : nil, weightShape: [units], weight: "bias", shapes: inputShapes)
        return shape.dropLast() + [units]
    }

    open override func build(inputShape: [Int]) {
        kernel = addWeight(name: "kernel", shape: [inputShape[inputShape.count - 1], units],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [units], initializer: biasInitializer, regularizer: biasRegularizer,
                           constraint: biasConstraint)
        }
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        var output = input.matmul(kernel.value)
        if let bias { output = output + bias.value }
        return activation(output)
    }
}
