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
/// hooks of training also reach `onBatchBegin`/`onBatchEnd`, as in Keras.
open class Callback: KerasSerializable {
    open class var kerasClassName: String { "Callback" }
    public weak var model: Model?
    public var params = TrainingParams()
    /// The callbacks of the current run, this one included (BackupAndRestore snapshots the others).
    public internal(set) weak var list: CallbackList?

    public init() {}

    open func setModel(_ model: Model) { self.model = model }
    open func setParams(_ params: TrainingParams) { self.params = params }

    open func onTrainBegin(logs: Logs) {}
    open func onTrainEnd(logs: Logs) {}
    open func onEpochBegin(_ epoch: Int, logs: Logs) {}
    open func onEpochEnd(_ epoch: Int, logs: Logs) {}
    open func onTrainBatchBegin(_ batch: Int, logs: Logs) { onBatchBegin(batch, logs: logs) }
    open func onTrainBatchEnd(_ batch: Int, logs: Logs) { onBatchEnd(batch, logs: logs) }
    open func onBatchBegin(_ batch: Int, logs: Logs) {}
    open func onBatchEnd(_ batch: Int, logs: Logs) {}
    open func onTestBegin(logs: Logs) {}
    open func onTestEnd(logs: Logs) {}
    open func onTestBatchBegin(_ batch: Int, logs: Logs) {}
    open func onTestBatchEnd(_ batch: Int, logs: Logs) {}
    open func onPredictBegin(logs: Logs) {}
    open func onPredictEnd(logs: Logs) {}
    open func onPredictBatchBegin(_ batch: Int, logs: Logs) {}
    open func onPredictBatchEnd(_ batch: Int, logs: Logs) {}

    open var config: JSONObject { JSONObject() }
}
