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
/// keyword arguments of its Keras constructor); this base builds it from them, checks them and
/// writes them back.
open class Callback: ConfigConstructible {
    open class var kerasClassName: String { "Callback" }
    public weak var model: Model?
    public var params = TrainingParams()
    /// The callbacks of the current run, this one included (BackupAndRestore snapshots the others).
    public internal(set) weak var list: CallbackList?

    /// Every setting keeps its declared default; `@Component` gives each callback an
    /// initialiser that takes them.
    public init() {}

    /// Keras's `cls(**arguments)`: each key is a declared setting; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared setting's rules; a callback whose settings depend on one another overrides
    /// it (calling `super`). `fit` runs it for callbacks made in Swift.
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the settings are set (from a config or a Swift initialiser).
    open func didConfigure() {}

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

    /// The constructor arguments, in the order of Keras's signature.
    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }
}
