/// Stops `fit` when the monitored quantity has not improved for `patience` epochs (Keras's
/// `EarlyStopping`, keras-spec §6.3), optionally putting back the weights of the best epoch.
@Component(.plain)
public final class EarlyStopping: Callback, MonitorCallback {
    public override class var kerasClassName: String { "EarlyStopping" }

    @Hyper("monitor") public var monitor: String = "val_loss"
    @Hyper("min_delta") public var minDelta: Double = 0.0
    @Hyper("patience", .nonNegative) public var patience: Int = 0
    @Hyper("verbose") public var verbose: Int = 0
    @Hyper("mode") public var mode: MonitorMode = .auto
    /// A value the quantity must beat before the patience count restarts.
    @Hyper("baseline") public var baseline: Double? = nil
    /// Put back the best epoch's weights at the end of training, whether it stopped early or not.
    @Hyper("restore_best_weights") public var restoreBestWeights: Bool = false
    /// Epochs before this one are warm-up: not watched at all.
    @Hyper("start_from_epoch", .nonNegative) public var startFromEpoch: Int = 0

    public var monitorState = MonitorState()
    /// Epochs since the last improvement (counting the current one).
    public private(set) var wait = 0
    /// The epoch after which training was stopped (0 when it was not).
    public private(set) var stoppedEpoch = 0
    public private(set) var bestEpoch = 0
    private var bestWeights: [Tensor]?

    /// Receives the messages verbose mode prints.
    public var output: (String) -> Void = CallbackMessages.standardOutput
    public var warn: (String) -> Void = CallbackMessages.standardError

    public override func onTrainBegin(logs: Logs) {
        wait = 0
        stoppedEpoch = 0
        best = nil
        bestWeights = nil
        bestEpoch = 0
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        _ = try requireDirection()
        guard let current = logs[monitor] else {
            warn("Early stopping conditioned on metric `\(monitor)` which is not available. Available metrics are: \(CallbackMessages.available(logs))")
            return
        }
        guard epoch >= startFromEpoch, let model else { return }
        if restoreBestWeights && bestWeights == nil {
            // Until something improves, the weights we have are the best ones.
            bestWeights = model.weights.map(\.value)
            bestEpoch = epoch
        }
        wait += 1
        if try isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { bestWeights = model.weights.map(\.value) }
            // Patience restarts only when both the previous best and the baseline are beaten.
            if try baseline == nil || isImprovement(current, over: baseline) { wait = 0 }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model.stopTraining = true
        }
    }

    public override func onTrainEnd(logs: Logs) {
        if stoppedEpoch > 0 && verbose > 0 { output("Epoch \(stoppedEpoch + 1): early stopping") }
        guard restoreBestWeights, let bestWeights, let model else { return }
        if verbose > 0 { output("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).") }
        for (variable, value) in zip(model.weights, bestWeights) { variable.assign(value) }
    }
}

extension EarlyStopping: ResumableCallback {
    public func saveResumeState(into group: HDF5Group) throws {
        try group.writeState(["wait": .int(wait), "stopped_epoch": .int(stoppedEpoch), "best_epoch": .int(bestEpoch),
                              "best": .optional(best), "has_best_weights": .bool(bestWeights != nil)])
        for (index, weight) in (bestWeights ?? []).enumerated() {
            _ = try group.createDataset("best_weights/\(index)", data: weight.arrayData)
        }
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        let state = ConfigReader(try group.readState(), owner: "EarlyStopping resume state")
        wait = try state.int("wait")
        stoppedEpoch = try state.int("stopped_epoch")
        bestEpoch = try state.int("best_epoch")
        best = try state.optionalDouble("best")
        guard try state.bool("has_best_weights") else { bestWeights = nil; return }
        let expected = model?.weights ?? []
        let count = try group.group("best_weights").childNames().count
        guard count == expected.count else {
            throw KeelError("\(group.filePath) [\(group.path)/best_weights]", expected: "\(expected.count) arrays", found: "\(count)")
        }
        bestWeights = try zip(0..<count, expected).map { index, variable in
            let data = try group.dataset("best_weights/\(index)").read(as: .float32, shape: variable.shape.map { $0 })
            return Tensor(data)
        }
    }
}
