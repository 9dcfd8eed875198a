/// Forwards each hook to every callback in order (Keras's `CallbackList`).
public final class CallbackList {
    public private(set) var callbacks: [Callback]

    public init(_ callbacks: [Callback], model: Model, params: TrainingParams) {
        self.callbacks = callbacks
        for callback in callbacks {
            callback.setModel(model)
            callback.setParams(params)
            callback.list = self
        }
    }

    public func onTrainBegin(_ logs: Logs) { callbacks.forEach { $0.onTrainBegin(logs: logs) } }
    public func onTrainEnd(_ logs: Logs) { callbacks.forEach { $0.onTrainEnd(logs: logs) } }
    public func onEpochBegin(_ epoch: Int, _ logs: Logs) { callbacks.forEach { $0.onEpochBegin(epoch, logs: logs) } }
    public func onEpochEnd(_ epoch: Int, _ logs: Logs) { callbacks.forEach { $0.onEpochEnd(epoch, logs: logs) } }
    public func onTrainBatchBegin(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onTrainBatchBegin(batch, logs: logs) } }
    public func onTrainBatchEnd(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onTrainBatchEnd(batch, logs: logs) } }
    public func onTestBegin(_ logs: Logs) { callbacks.forEach { $0.onTestBegin(logs: logs) } }
    public func onTestEnd(_ logs: Logs) { callbacks.forEach { $0.onTestEnd(logs: logs) } }
    public func onTestBatchBegin(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onTestBatchBegin(batch, logs: logs) } }
    public func onTestBatchEnd(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onTestBatchEnd(batch, logs: logs) } }
    public func onPredictBegin(_ logs: Logs) { callbacks.forEach { $0.onPredictBegin(logs: logs) } }
    public func onPredictEnd(_ logs: Logs) { callbacks.forEach { $0.onPredictEnd(logs: logs) } }
    public func onPredictBatchBegin(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onPredictBatchBegin(batch, logs: logs) } }
    public func onPredictBatchEnd(_ batch: Int, _ logs: Logs) { callbacks.forEach { $0.onPredictBatchEnd(batch, logs: logs) } }
}
