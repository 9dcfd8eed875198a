/// Multiplies the optimizer's learning rate by `factor` when the monitored quantity has not
/// improved for `patience` epochs, then waits `cooldown` epochs before counting again (Keras's
/// `ReduceLROnPlateau`, keras-spec §6.4). Writes the rate of each epoch into the logs as
/// `learning_rate`, so CSVLogger and History record it.
@Component(.plain)
public final class ReduceLROnPlateau: Callback, MonitorCallback {
    public override class var kerasClassName: String { "ReduceLROnPlateau" }

    @Hyper("monitor") public var monitor: String = "val_loss"
    @Hyper("factor", HyperCheck("a factor below 1.0 (it multiplies the learning rate)") { $0 < 1 })
    public var factor: Double = 0.1
    @Hyper("patience", .nonNegative) public var patience: Int = 10
    @Hyper("verbose") public var verbose: Int = 0
    @Hyper("mode") public var mode: MonitorMode = .auto
    @Hyper("min_delta") public var minDelta: Double = 1e-4
    @Hyper("cooldown", .nonNegative) public var cooldown: Int = 0
    @Hyper("min_lr", .nonNegative) public var minLearningRate: Double = 0.0

    public var monitorState = MonitorState()
    public private(set) var wait = 0
    public private(set) var cooldownCounter = 0

    public var output: (String) -> Void = CallbackMessages.standardOutput
    public var warn: (String) -> Void = CallbackMessages.standardError

    public var inCooldown: Bool { cooldownCounter > 0 }

    public override func onTrainBegin(logs: Logs) {
        best = nil
        cooldownCounter = 0
        wait = 0
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        _ = try requireDirection()
        guard let optimizer = model?.optimizer else {
            throw KeelError("ReduceLROnPlateau", expected: "a compiled model with an optimizer", found: "none")
        }
        logs["learning_rate"] = Double(optimizer.currentLearningRate)
        guard let current = logs[monitor] else {
            warn("Learning rate reduction is conditioned on metric `\(monitor)` which is not available. Available metrics are: \(CallbackMessages.available(logs)).")
            return
        }
        if inCooldown {
            cooldownCounter -= 1
            wait = 0
        }
        if try isImprovement(current, over: best) {
            best = current
            wait = 0
            return
        }
        guard !inCooldown else { return }
        wait += 1
        guard wait >= patience else { return }
        // Keras compares the float32 rate with float32(min_lr): a rate already clamped to
        // min_lr is not "reduced" again.
        let oldRate = optimizer.currentLearningRate
        guard oldRate > Float(minLearningRate) else { return }
        let newRate = max(Double(oldRate) * factor, minLearningRate)
        try LearningRateAssignment.set(newRate, on: optimizer, by: "ReduceLROnPlateau")
        if verbose > 0 {
            output("\nEpoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(JSONValue.pythonRepr(newRate)).")
        }
        cooldownCounter = cooldown
        wait = 0
    }
}

extension ReduceLROnPlateau: ResumableCallback {
    public func saveResumeState(into group: HDF5Group) throws {
        try group.writeState(["wait": .int(wait), "cooldown_counter": .int(cooldownCounter), "best": .optional(best)])
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        let state = ConfigReader(try group.readState(), owner: "ReduceLROnPlateau resume state")
        wait = try state.int("wait")
        cooldownCounter = try state.int("cooldown_counter")
        best = try state.optionalDouble("best")
    }
}
