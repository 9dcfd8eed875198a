/// Keras's `LSTMCell`. The kernel holds the four gates side by side in Keras's order i, f, c, o:
/// `z = x · kernel + h₋₁ · recurrent_kernel + bias`, then `c = f ⊙ c₋₁ + i ⊙ activation(z_c)`,
/// `h = o ⊙ activation(c)`, with i, f, o through the recurrent activation. States [h, c].
@Component(.layer)
open class LSTMCell: RNNCell {
    open override class var kerasClassName: String { "LSTMCell" }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = "tanh"
    @Hyper("recurrent_activation") public var recurrentActivation: Activation = "sigmoid"
    @Hyper("use_bias") public var useBias = true
    /// Starts the forget gate's bias at one (Jozefowicz et al., 2015), as Keras does.
    @Hyper("unit_forget_bias") public var unitForgetBias = true
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

    /// (input features, 4·units), (units, 4·units), (4·units,).
    public private(set) var kernel: Variable!
    public private(set) var recurrentKernel: Variable!
    public private(set) var bias: Variable?
    private(set) var masks = RecurrentDropoutMasks()
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        dropout = clampedRate(dropout)
        recurrentDropout = clampedRate(recurrentDropout)
        seededGenerator = dropoutGenerator(seed: seed)
    }

    open override var stateSizes: [Int] { [units, units] }
    open override var usesTrainingFlag: Bool { dropout > 0 || recurrentDropout > 0 }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try checkedStepShape(inputShapes, units: units, gates: 4, builtKernel: kernel,
                             constraints: [(kernelConstraint, [-1, 4 * units], "kernel"),
                                           (recurrentConstraint, [units, 4 * units], "recurrent kernel"),
                                           (useBias ? biasConstraint : nil, [4 * units], "bias")])
    }

    open override func build(inputShape: [Int]) {
        kernel = addWeight(name: "kernel", shape: [inputShape[inputShape.count - 1], 4 * units],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        recurrentKernel = addWeight(name: "recurrent_kernel", shape: [units, 4 * units], initializer: recurrentInitializer,
                                    regularizer: recurrentRegularizer, constraint: recurrentConstraint)
        if useBias {
            var initializer = biasInitializer
            if unitForgetBias {
                let forgetOnes = UnitForgetBiasInitializer()
                forgetOnes.base = biasInitializer
                forgetOnes.units = units
                initializer = forgetOnes
            }
            bias = addWeight(name: "bias", shape: [4 * units], initializer: initializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    /// Whether a sequence may run as one `lstmSequence` op: this class itself (a subclass may
    /// change the step), Keras's default activations, and no recurrent dropout in this call.
    var runsFused: Bool {
        type(of: self) == LSTMCell.self && activation.name == "tanh" && recurrentActivation.name == "sigmoid"
            && masks.recurrent == nil
    }

    open override func beginSequence(batchSize: Int, inputSize: Int, training: Bool) {
        masks.draw(batchSize: batchSize, inputSize: inputSize, units: units, dropout: dropout,
                   recurrentDropout: recurrentDropout, training: training, generator: seededGenerator ?? KeelRandom.generator)
    }

    open override func endSequence() { masks = RecurrentDropoutMasks() }

    /// x · kernel + bias for all four gates and every step at once.
    open override func projectSequence(_ sequence: Tensor, training: Bool) -> Tensor {
        let projected = masks.maskedInput(sequence).matmul(kernel.value)
        guard let bias else { return projected }
        return projected + bias.value
    }

    open override func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        step(projected: projectSequence(input, training: training), states: states, training: training)
    }

    /// One recurrent product for the four gates.
    open override func step(projected input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        let z = input + masks.maskedState(states[0]).matmul(recurrentKernel.value)
        let gates = z.split(count: 4, axis: 1)
        let i = recurrentActivation(gates[0]), f = recurrentActivation(gates[1])
        let o = recurrentActivation(gates[3])
        let c = f * states[1] + i * activation(gates[2])
        let h = o * activation(c)
        return (h, [h, c])
    }
}
