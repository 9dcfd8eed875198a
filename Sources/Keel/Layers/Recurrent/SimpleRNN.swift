/// Keras's `SimpleRNN`: an RNN over a `SimpleRNNCell` made from the layer's own fields (the cell
/// is not in the config; its weights are saved under `simple_rnn/simple_rnn_cell/...`).
@Component(.layer)
open class SimpleRNN: RecurrentLayer {
    open override class var kerasClassName: String { "SimpleRNN" }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = "tanh"
    @Hyper("use_bias") public var useBias = true
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("recurrent_initializer") public var recurrentInitializer: Initializer = Orthogonal()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("recurrent_regularizer") public var recurrentRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("recurrent_constraint") public var recurrentConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("dropout") public var dropout = 0.0
    @Hyper("recurrent_dropout") public var recurrentDropout = 0.0
    /// Keras's SimpleRNN passes `seed` to its cell but leaves it out of its own config.
    @Hyper("seed", written: false) public var seed: Int? = nil

    public private(set) var cell: SimpleRNNCell!
    open override var recurrentCell: RNNCell { cell }

    open override func didConfigure() {
        dropout = clampedRate(dropout)
        recurrentDropout = clampedRate(recurrentDropout)
        cell = makeCell()
    }

    /// Made again at build (it has no weights before), so fields set after the initialiser count.
    open override func build(inputShape: [Int]) {
        if !cell.isBuilt { cell = makeCell() }
        super.build(inputShape: inputShape)
    }

    private func makeCell() -> SimpleRNNCell {
        SimpleRNNCell(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                      recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer,
                      kernelRegularizer: kernelRegularizer, recurrentRegularizer: recurrentRegularizer,
                      biasRegularizer: biasRegularizer, kernelConstraint: kernelConstraint,
                      recurrentConstraint: recurrentConstraint, biasConstraint: biasConstraint, dropout: dropout,
                      recurrentDropout: recurrentDropout, seed: seed, name: "simple_rnn_cell", trainable: trainable)
    }
}
