/// A callback made of closures, one per hook you care about (Keras's `LambdaCallback`). A hook
/// without a closure behaves as the base class: the train batch hooks still reach
/// `onBatchBegin`/`onBatchEnd`, so `LambdaCallback(onBatchEnd: ...)` sees every training batch.
public final class LambdaCallback: Callback {
    public override class var kerasClassName: String { "LambdaCallback" }

    public typealias EpochHook = (_ epoch: Int, _ logs: Logs) -> Void
    public typealias BatchHook = (_ batch: Int, _ logs: Logs) -> Void
    public typealias RunHook = (_ logs: Logs) -> Void

    public var onTrainBegin: RunHook?
    public var onTrainEnd: RunHook?
    public var onEpochBegin: EpochHook?
    public var onEpochEnd: EpochHook?
    public var onTrainBatchBegin: BatchHook?
    public var onTrainBatchEnd: BatchHook?
    public var onBatchBegin: BatchHook?
    public var onBatchEnd: BatchHook?
    public var onTestBegin: RunHook?
    public var onTestEnd: RunHook?
    public var onTestBatchBegin: BatchHook?
    public var onTestBatchEnd: BatchHook?
    public var onPredictBegin: RunHook?
    public var onPredictEnd: RunHook?
    public var onPredictBatchBegin: BatchHook?
    public var onPredictBatchEnd: BatchHook?

    public convenience init(onEpochBegin: EpochHook? = nil, onEpochEnd: EpochHook? = nil,
                            onTrainBegin: RunHook? = nil, onTrainEnd: RunHook? = nil,
                            onTrainBatchBegin: BatchHook? = nil, onTrainBatchEnd: BatchHook? = nil,
                            onBatchBegin: BatchHook? = nil, onBatchEnd: BatchHook? = nil,
                            onTestBegin: RunHook? = nil, onTestEnd: RunHook? = nil,
                            onTestBatchBegin: BatchHook? = nil, onTestBatchEnd: BatchHook? = nil,
                            onPredictBegin: RunHook? = nil, onPredictEnd: RunHook? = nil,
                            onPredictBatchBegin: BatchHook? = nil, onPredictBatchEnd: BatchHook? = nil) {
        self.init()
        self.onEpochBegin = onEpochBegin
        self.onEpochEnd = onEpochEnd
        self.onTrainBegin = onTrainBegin
        self.onTrainEnd = onTrainEnd
        self.onTrainBatchBegin = onTrainBatchBegin
        self.onTrainBatchEnd = onTrainBatchEnd
        self.onBatchBegin = onBatchBegin
        self.onBatchEnd = onBatchEnd
        self.onTestBegin = onTestBegin
        self.onTestEnd = onTestEnd
        self.onTestBatchBegin = onTestBatchBegin
        self.onTestBatchEnd = onTestBatchEnd
        self.onPredictBegin = onPredictBegin
        self.onPredictEnd = onPredictEnd
        self.onPredictBatchBegin = onPredictBatchBegin
        self.onPredictBatchEnd = onPredictBatchEnd
    }

    public override func onTrainBegin(logs: Logs) { onTrainBegin?(logs) }
    public override func onTrainEnd(logs: Logs) { onTrainEnd?(logs) }
    public override func onEpochBegin(_ epoch: Int, logs: Logs) { onEpochBegin?(epoch, logs) }
    public override func onEpochEnd(_ epoch: Int, logs: Logs) { onEpochEnd?(epoch, logs) }

    public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
        if let onTrainBatchBegin { onTrainBatchBegin(batch, logs) } else { try super.onTrainBatchBegin(batch, logs: logs) }
    }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        if let onTrainBatchEnd { onTrainBatchEnd(batch, logs) } else { try super.onTrainBatchEnd(batch, logs: logs) }
    }

    public override func onBatchBegin(_ batch: Int, logs: Logs) { onBatchBegin?(batch, logs) }
    public override func onBatchEnd(_ batch: Int, logs: Logs) { onBatchEnd?(batch, logs) }
    public override func onTestBegin(logs: Logs) { onTestBegin?(logs) }
    public override func onTestEnd(logs: Logs) { onTestEnd?(logs) }
    public override func onTestBatchBegin(_ batch: Int, logs: Logs) { onTestBatchBegin?(batch, logs) }
    public override func onTestBatchEnd(_ batch: Int, logs: Logs) { onTestBatchEnd?(batch, logs) }
    public override func onPredictBegin(logs: Logs) { onPredictBegin?(logs) }
    public override func onPredictEnd(logs: Logs) { onPredictEnd?(logs) }
    public override func onPredictBatchBegin(_ batch: Int, logs: Logs) { onPredictBatchBegin?(batch, logs) }
    public override func onPredictBatchEnd(_ batch: Int, logs: Logs) { onPredictBatchEnd?(batch, logs) }
}
