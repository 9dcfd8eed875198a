/// Keras's `SimpleRNNCell`: `h = activation(x · kernel + bias + h₋₁ · recurrent_kernel)`, the
/// output being the new state.
@Component(.layer)
open class SimpleRNNCell: RNNCell {
    open override class var kerasClassName: String { "SimpleRNNCell" }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = "tanh"
    @Hyper("use_bias") public var useBias = true
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("recurrent_initializer") public var recurrentInitializer: Initializer = Orthogonal()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("recurrent_regularizer") public var recurrentRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("recurrent_constraint") public var recurrentConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("dropout") public var dropout = 0.0
    @Hyper("recurrent_dropout") public var recurrentDropout = 0.0
    @Hyper("seed") public var seed: Int? = nil

    /// (input features, units), (units, units), (units,).
    public private(set) var kernel: Variable!
    public private(set) var recurrentKernel: Variable!
    public private(set) var bias: Variable?
    private var masks = RecurrentDropoutMasks()
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        dropout = clampedRate(dropout)
        recurrentDropout = clampedRate(recurrentDropout)
        seededGenerator = dropoutGenerator(seed: seed)
    }

    open override var stateSizes: [Int] { [units] }
    open override var usesTrainingFlag: Bool { dropout > 0 || recurrentDropout > 0 }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try checkedStepShape(inputShapes, units: units, gates: 1, builtKernel: kernel,
                             constraints: [(kernelConstraint, [-1, units], "kernel"),
                                           (recurrentConstraint, [units, units], "recurrent kernel"),
                                           (useBias ? biasConstraint : nil, [units], "bias")])
    }

    open override func build(inputShape: [Int]) {
        kernel = addWeight(name: "kernel", shape: [inputShape[inputShape.count - 1], units], initializer: kernelInitializer,
                           regularizer: kernelRegularizer, constraint: kernelConstraint)
        recurrentKernel = addWeight(name: "recurrent_kernel", shape: [units, units], initializer: recurrentInitializer,
                                    regularizer: recurrentRegularizer, constraint: recurrentConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: [units], initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    open override func beginSequence(batchSize: Int, inputSize: Int, training: Bool) {
        masks.draw(batchSize: batchSize, inputSize: inputSize, units: units, dropout: dropout,
                   recurrentDropout: recurrentDropout, training: training, generator: seededGenerator ?? KeelRandom.generator)
    }

    open override func endSequence() { masks = RecurrentDropoutMasks() }

    /// x · kernel + bias for every step at once.
    open override func projectSequence(_ sequence: Tensor, training: Bool) -> Tensor {
        let projected = masks.maskedInput(sequence).matmul(kernel.value)
        guard let bias else { return projected }
        return projected + bias.value
    }

    open override func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        step(projected: projectSequence(input, training: training), states: states, training: training)
    }

    open override func step(projected input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        let output = activation(input + masks.maskedState(states[0]).matmul(recurrentKernel.value))
        return (output, [output])
    }
}
