/// Keras's `GRUCell`, gates in Keras's order z (update), r (reset), h (candidate):
/// `h = z ⊙ h₋₁ + (1 − z) ⊙ activation(x_h + recurrent_h)`. With `reset_after` (Keras's default,
/// cuDNN's layout) the reset gate multiplies the recurrent projection, and the bias is (2, 3·units):
/// an input bias and a recurrent bias; without it the reset gate multiplies h₋₁ before its
/// projection, and the bias is one (3·units,) vector.
@Component(.layer)
open class GRUCell: RNNCell {
    open override class var kerasClassName: String { "GRUCell" }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = "tanh"
    @Hyper("recurrent_activation") public var recurrentActivation: Activation = "sigmoid"
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
    @Hyper("reset_after") public var resetAfter = true
    @Hyper("seed") public var seed: Int? = nil

    /// (input features, 3·units), (units, 3·units), and (2, 3·units) or (3·units,).
    public private(set) var kernel: Variable!
    public private(set) var recurrentKernel: Variable!
    public private(set) var bias: Variable?
    private(set) var masks = RecurrentDropoutMasks()
    private var seededGenerator: RandomGenerator?
    /// The pieces of the weights a step uses, cut once per sequence rather than at every step.
    private var parts: Parts?

    private struct Parts {
        var inputBias: Tensor?
        var recurrentBias: Tensor?
        /// reset_after false: the z and r columns, and the h columns, of the recurrent kernel.
        var recurrentGates: Tensor
        var recurrentCandidate: Tensor?
    }

    open override func didConfigure() {
        dropout = clampedRate(dropout)
        recurrentDropout = clampedRate(recurrentDropout)
        seededGenerator = dropoutGenerator(seed: seed)
    }

    open override var stateSizes: [Int] { [units] }
    open override var usesTrainingFlag: Bool { dropout > 0 || recurrentDropout > 0 }

    private var biasShape: [Int] { resetAfter ? [2, 3 * units] : [3 * units] }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try checkedStepShape(inputShapes, units: units, gates: 3, builtKernel: kernel,
                             constraints: [(kernelConstraint, [-1, 3 * units], "kernel"),
                                           (recurrentConstraint, [units, 3 * units], "recurrent kernel"),
                                           (useBias ? biasConstraint : nil, biasShape, "bias")])
    }

    open override func build(inputShape: [Int]) {
        kernel = addWeight(name: "kernel", shape: [inputShape[inputShape.count - 1], 3 * units],
                           initializer: kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint)
        recurrentKernel = addWeight(name: "recurrent_kernel", shape: [units, 3 * units], initializer: recurrentInitializer,
                                    regularizer: recurrentRegularizer, constraint: recurrentConstraint)
        if useBias {
            bias = addWeight(name: "bias", shape: biasShape, initializer: biasInitializer, regularizer: biasRegularizer,
                             constraint: biasConstraint)
        }
    }

    private func makeParts() -> Parts {
        let width = 3 * units
        var inputBias: Tensor?, recurrentBias: Tensor?
        if let bias {
            if resetAfter {
                let rows = bias.value.split(count: 2, axis: 0)
                inputBias = rows[0].reshaped([width])
                recurrentBias = rows[1].reshaped([width])
            } else {
                inputBias = bias.value
            }
        }
        if resetAfter {
            return Parts(inputBias: inputBias, recurrentBias: recurrentBias, recurrentGates: recurrentKernel.value)
        }
        let columns = recurrentKernel.value.split(sizes: [2 * units, units], axis: 1)
        return Parts(inputBias: inputBias, recurrentBias: nil, recurrentGates: columns[0], recurrentCandidate: columns[1])
    }

    /// Whether a sequence may run as one `gruSequence` op: this class itself (a subclass may
    /// change the step), Keras's default activations, and no recurrent dropout in this call.
    var runsFused: Bool {
        type(of: self) == GRUCell.self && activation.name == "tanh" && recurrentActivation.name == "sigmoid"
            && masks.recurrent == nil
    }

    /// The whole sequence as one `gruSequence` op: (batch, time + 1, units), every step's output
    /// then the final h.
    func fusedSequence(_ projected: Tensor, h0: Tensor, reversed: Bool, mask: Tensor?, zeroOutputForMask: Bool) -> Tensor {
        let parts = self.parts ?? makeParts()
        return projected.gruSequence(recurrentKernel: recurrentKernel.value, recurrentBias: parts.recurrentBias, h0: h0,
                                     resetAfter: resetAfter, reversed: reversed, mask: mask,
                                     zeroOutputForMask: zeroOutputForMask)
    }

    open override func beginSequence(batchSize: Int, inputSize: Int, training: Bool) {
        masks.draw(batchSize: batchSize, inputSize: inputSize, units: units, dropout: dropout,
                   recurrentDropout: recurrentDropout, training: training, generator: seededGenerator ?? KeelRandom.generator)
        parts = makeParts()
    }

    open override func endSequence() {
        masks = RecurrentDropoutMasks()
        parts = nil
    }

    /// x · kernel + input bias for the three gates and every step at once.
    open override func projectSequence(_ sequence: Tensor, training: Bool) -> Tensor {
        let projected = masks.maskedInput(sequence).matmul(kernel.value)
        guard let inputBias = (parts ?? makeParts()).inputBias else { return projected }
        return projected + inputBias
    }

    open override func step(_ input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        step(projected: projectSequence(input, training: training), states: states, training: training)
    }

    /// One recurrent product for the three gates (reset_after), or one for z and r and one for
    /// the candidate (reset_after false, where r must act on h₋₁ first).
    open override func step(projected input: Tensor, states: [Tensor], training: Bool) -> (output: Tensor, states: [Tensor]) {
        let parts = self.parts ?? makeParts()
        let previous = states[0]
        let h = masks.maskedState(previous)
        let x = input.split(count: 3, axis: 1)
        var inner = h.matmul(parts.recurrentGates)
        if let recurrentBias = parts.recurrentBias { inner = inner + recurrentBias }
        let recurrent = inner.split(count: resetAfter ? 3 : 2, axis: 1)
        let z = recurrentActivation(x[0] + recurrent[0])
        let r = recurrentActivation(x[1] + recurrent[1])
        let recurrentCandidate = resetAfter ? r * recurrent[2] : (r * h).matmul(parts.recurrentCandidate!)
        let candidate = activation(x[2] + recurrentCandidate)
        let output = z * previous + (1 - z) * candidate
        return (output, [output])
    }
}
