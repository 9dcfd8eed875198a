/// What `fit`, `evaluate` and `predict` tell callbacks about the run (Keras's `callback.params`).
public struct TrainingParams: Sendable {
    public var epochs: Int
    public var steps: Int?
    public var verbose: Int

    public init(epochs: Int = 1, steps: Int? = nil, verbose: Int = 0) {
        self.epochs = epochs
        self.steps = steps
        self.verbose = verbose
    }
}

/// The base of every callback, with every Keras hook. Override the ones you need; the batch
/// hooks of training also reach `onBatchBegin`/`onBatchEnd`, as in Keras. A hook that fails
/// (a log file that cannot be written, a NaN loss with `raiseError`) throws, and `fit` stops
/// with that error, as Keras raises. A callback's settings are `@Hyper` declarations (the
/// keyword arguments of its Keras constructor, in its order); `fit` checks them.
open class Callback: PlainComponent {
    open override class var kerasModule: String { "keras.callbacks" }
    public weak var model: Model?
    public var params = TrainingParams()
    /// The callbacks of the current run, this one included (BackupAndRestore snapshots the others).
    public internal(set) weak var list: CallbackList?

    open func setModel(_ model: Model) { self.model = model }
    open func setParams(_ params: TrainingParams) { self.params = params }

    open func onTrainBegin(logs: Logs) throws {}
    open func onTrainEnd(logs: Logs) throws {}
    open func onEpochBegin(_ epoch: Int, logs: Logs) throws {}
    open func onEpochEnd(_ epoch: Int, logs: Logs) throws {}
    open func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { try onBatchBegin(batch, logs: logs) }
    open func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { try onBatchEnd(batch, logs: logs) }
    open func onBatchBegin(_ batch: Int, logs: Logs) throws {}
    open func onBatchEnd(_ batch: Int, logs: Logs) throws {}
    open func onTestBegin(logs: Logs) throws {}
    open func onTestEnd(logs: Logs) throws {}
    open func onTestBatchBegin(_ batch: Int, logs: Logs) throws {}
    open func onTestBatchEnd(_ batch: Int, logs: Logs) throws {}
    open func onPredictBegin(logs: Logs) throws {}
    open func onPredictEnd(logs: Logs) throws {}
    open func onPredictBatchBegin(_ batch: Int, logs: Logs) throws {}
    open func onPredictBatchEnd(_ batch: Int, logs: Logs) throws {}
}
