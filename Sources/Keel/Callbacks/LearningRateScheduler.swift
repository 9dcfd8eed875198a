/// Sets the optimizer's learning rate at the start of every epoch from `schedule(epoch, rate)`,
/// where `epoch` is 0-based and `rate` the current rate (Keras's `LearningRateScheduler`,
/// keras-spec §6.6). Writes the rate into the epoch's logs as `learning_rate`.
public final class LearningRateScheduler: Callback {
    public override class var kerasClassName: String { "LearningRateScheduler" }

    public let schedule: (_ epoch: Int, _ currentRate: Float) -> Float
    public let verbose: Int
    public var output: (String) -> Void = CallbackMessages.standardOutput

    public init(verbose: Int = 0, schedule: @escaping (_ epoch: Int, _ currentRate: Float) -> Float) {
        self.schedule = schedule
        self.verbose = verbose
        super.init()
    }

    /// A schedule object evaluated at the epoch index instead of the optimizer step, which is
    /// what a Keras config can name (a function cannot travel in JSON).
    public convenience init(schedule: LearningRateSchedule, verbose: Int = 0) {
        self.init(verbose: verbose) { epoch, _ in schedule(epoch) }
    }

    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        guard let optimizer = model?.optimizer else {
            throw KeelError("LearningRateScheduler", expected: "a compiled model with an optimizer", found: "none")
        }
        let rate = schedule(epoch, optimizer.currentLearningRate)
        precondition(rate.isFinite, "LearningRateScheduler: the schedule returned \(rate) for epoch \(epoch); it must return a finite number")
        try LearningRateAssignment.set(Double(rate), on: optimizer, by: "LearningRateScheduler")
        if verbose > 0 {
            output("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(JSONValue.pythonRepr(Double(rate))).")
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        if let optimizer = model?.optimizer { logs["learning_rate"] = Double(optimizer.currentLearningRate) }
    }

    public override var config: JSONObject { ["verbose": .int(verbose)] }
}
