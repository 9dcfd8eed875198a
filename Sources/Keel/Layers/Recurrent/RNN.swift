/// Keras's `RNN`: any cell (`RNNCell`, a plugin's included) run over the time axis. A list of
/// cells is wrapped in `StackedRNNCells`.
@Component(.layer)
open class RNN: RecurrentLayer {
    open override class var kerasClassName: String { "RNN" }

    @Hyper("cell") public var serializedCell: NestedLayer<RNNCell>

    public convenience init(_ cell: RNNCell, name: String? = nil, trainable: Bool = true) {
        self.init(serializedCell: NestedLayer(cell), name: name, trainable: trainable)
    }

    public convenience init(_ cells: [RNNCell], name: String? = nil, trainable: Bool = true) {
        self.init(StackedRNNCells(cells), name: name, trainable: trainable)
    }

    public var cell: RNNCell { serializedCell.layer }
    open override var recurrentCell: RNNCell { cell }
}
