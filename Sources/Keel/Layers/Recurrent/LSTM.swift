/// Keras's `LSTM`: an RNN over an `LSTMCell` made from the layer's own fields (the cell is not in
/// the config; its weights are saved under `lstm/lstm_cell/...`). States [h, c].
@Component(.layer)
open class LSTM: RecurrentLayer {
    open override class var kerasClassName: String { "LSTM" }

    @Hyper("units", .size) public var units: Int
    @Hyper("activation") public var activation: Activation = "tanh"
    @Hyper("recurrent_activation") public var recurrentActivation: Activation = "sigmoid"
    @Hyper("use_bias") public var useBias = true
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("recurrent_initializer") public var recurrentInitializer: Initializer = Orthogonal()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("unit_forget_bias") public var unitForgetBias = true
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("recurrent_regularizer") public var recurrentRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("recurrent_constraint") public var recurrentConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("dropout") public var dropout = 0.0
    @Hyper("recurrent_dropout") public var recurrentDropout = 0.0
    @Hyper("seed") public var seed: Int? = nil
    /// Keras's choice of the cuDNN kernel, which Keel does not have: accepted, not written.
    @Hyper("use_cudnn", written: false) public var useCudnn: JSONValue = "auto"
    /// Keras's choice between per-gate and fused products (tf.keras 2 configs write it): Keel's
    /// results are the same either way. Read, not written.
    @Hyper("implementation", .inRange(1...2), written: false) public var implementation = 2

    public private(set) var cell: LSTMCell!
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

    private func makeCell() -> LSTMCell {
        LSTMCell(units: units, activation: activation, recurrentActivation: recurrentActivation, useBias: useBias,
                 unitForgetBias: unitForgetBias, kernelInitializer: kernelInitializer,
                 recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer,
                 kernelRegularizer: kernelRegularizer, recurrentRegularizer: recurrentRegularizer,
                 biasRegularizer: biasRegularizer, kernelConstraint: kernelConstraint,
                 recurrentConstraint: recurrentConstraint, biasConstraint: biasConstraint, dropout: dropout,
                 recurrentDropout: recurrentDropout, seed: seed, name: "lstm_cell", trainable: trainable)
    }
}
