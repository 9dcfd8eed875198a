/// Sets the optimizer's learning rate at the start of every epoch from `schedule(epoch, rate)`,
/// where `epoch` is 0-based and `rate` the current rate (Keras's `LearningRateScheduler`,
/// keras-spec §6.6). Writes the rate into the epoch's logs as `learning_rate`.
@Component(.plain)
public final class LearningRateScheduler: Callback {
    public override class var kerasClassName: String { "LearningRateScheduler" }

    @Hyper("schedule") public var schedule: EpochSchedule
    @Hyper("verbose") public var verbose: Int = 0

    public convenience init(verbose: Int = 0, schedule: @escaping (_ epoch: Int, _ currentRate: Float) -> Float) {
        self.init(schedule: .function(schedule), verbose: verbose)
    }

    /// A schedule object evaluated at the epoch index instead of the optimizer step.
    public convenience init(schedule: LearningRateSchedule, verbose: Int = 0) {
        self.init(schedule: .object(schedule), verbose: verbose)
    }

    public var output: (String) -> Void = CallbackMessages.standardOutput

    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        guard let optimizer = model?.optimizer else {
            throw KeelError("LearningRateScheduler", expected: "a compiled model with an optimizer", found: "none")
        }
        let rate = schedule(epoch, optimizer.currentLearningRate)
        guard rate.isFinite else {
            throw KeelError("LearningRateScheduler: the schedule's rate for epoch \(epoch)", expected: "a finite number",
                            found: "\(rate)")
        }
        try LearningRateAssignment.set(Double(rate), on: optimizer, by: "LearningRateScheduler")
        if verbose > 0 {
            output("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(JSONValue.pythonRepr(Double(rate))).")
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        if let optimizer = model?.optimizer { logs["learning_rate"] = Double(optimizer.currentLearningRate) }
    }
}

/// What a LearningRateScheduler asks for each epoch's rate: a function of the epoch and the
/// current rate, or a schedule object evaluated at the epoch. A config can only name a schedule
/// object (a function cannot travel in JSON), so a function writes null.
public enum EpochSchedule: ConfigRepresentable {
    case function((_ epoch: Int, _ currentRate: Float) -> Float)
    case object(LearningRateSchedule)

    public init(configValue: JSONValue) throws {
        guard configValue.objectValue != nil else {
            throw ConfigMismatch("a learning-rate schedule config ({\"class_name\", \"config\"}), evaluated at the epoch index (a function can only be given in code)")
        }
        self = .object(try LearningRateSchedule(configValue: configValue))
    }

    public var configValue: JSONValue {
        switch self {
        case .function: return .null
        case .object(let schedule): return schedule.serialized()
        }
    }

    public var deferredProblem: String? {
        guard case .object(let schedule) = self else { return nil }
        return schedule.deferredProblem
    }

    public func callAsFunction(_ epoch: Int, _ currentRate: Float) -> Float {
        switch self {
        case .function(let function): return function(epoch, currentRate)
        case .object(let schedule): return schedule(epoch)
        }
    }
}
