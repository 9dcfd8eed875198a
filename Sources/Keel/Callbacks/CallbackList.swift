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

    public func onTrainBegin(_ logs: Logs) throws { for c in callbacks { try c.onTrainBegin(logs: logs) } }
    public func onTrainEnd(_ logs: Logs) throws { for c in callbacks { try c.onTrainEnd(logs: logs) } }
    public func onEpochBegin(_ epoch: Int, _ logs: Logs) throws { for c in callbacks { try c.onEpochBegin(epoch, logs: logs) } }
    public func onEpochEnd(_ epoch: Int, _ logs: Logs) throws { for c in callbacks { try c.onEpochEnd(epoch, logs: logs) } }
    public func onTrainBatchBegin(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onTrainBatchBegin(batch, logs: logs) } }
    public func onTrainBatchEnd(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onTrainBatchEnd(batch, logs: logs) } }
    public func onTestBegin(_ logs: Logs) throws { for c in callbacks { try c.onTestBegin(logs: logs) } }
    public func onTestEnd(_ logs: Logs) throws { for c in callbacks { try c.onTestEnd(logs: logs) } }
    public func onTestBatchBegin(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onTestBatchBegin(batch, logs: logs) } }
    public func onTestBatchEnd(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onTestBatchEnd(batch, logs: logs) } }
    public func onPredictBegin(_ logs: Logs) throws { for c in callbacks { try c.onPredictBegin(logs: logs) } }
    public func onPredictEnd(_ logs: Logs) throws { for c in callbacks { try c.onPredictEnd(logs: logs) } }
    public func onPredictBatchBegin(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onPredictBatchBegin(batch, logs: logs) } }
    public func onPredictBatchEnd(_ batch: Int, _ logs: Logs) throws { for c in callbacks { try c.onPredictBatchEnd(batch, logs: logs) } }
}
