/// Multiplies the optimizer's learning rate by `factor` when the monitored quantity has not
/// improved for `patience` epochs, then waits `cooldown` epochs before counting again (Keras's
/// `ReduceLROnPlateau`, keras-spec §6.4). Writes the rate of each epoch into the logs as
/// `learning_rate`, so CSVLogger and History record it.
public final class ReduceLROnPlateau: MonitorCallback {
    public override class var kerasClassName: String { "ReduceLROnPlateau" }

    public let factor: Double
    public let patience: Int
    public let verbose: Int
    public let cooldown: Int
    public let minLearningRate: Double

    public private(set) var wait = 0
    public private(set) var cooldownCounter = 0

    public var output: (String) -> Void = CallbackMessages.standardOutput
    public var warn: (String) -> Void = CallbackMessages.standardError

    public init(monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10, verbose: Int = 0,
                mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLearningRate: Double = 0) throws {
        guard factor < 1 else {
            throw KeelError("ReduceLROnPlateau factor", expected: "a factor below 1.0 (it multiplies the learning rate)",
                            found: JSONValue.pythonRepr(factor))
        }
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.minLearningRate = minLearningRate
        super.init(monitor: monitor, mode: mode, minDelta: minDelta)
    }

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

    public override var config: JSONObject {
        ["monitor": .string(monitor), "factor": .double(factor), "patience": .int(patience), "verbose": .int(verbose),
         "mode": .string(mode.rawValue), "min_delta": .double(minDelta), "cooldown": .int(cooldown),
         "min_lr": .double(minLearningRate)]
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
