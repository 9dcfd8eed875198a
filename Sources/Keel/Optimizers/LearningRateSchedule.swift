/// A learning rate that depends on the optimizer's step (`iterations`), as
/// `keras.optimizers.schedules.LearningRateSchedule`.
open class LearningRateSchedule: KerasSerializable {
    open class var kerasClassName: String { "LearningRateSchedule" }
    public init() {}

    /// The learning rate for `step` (the number of updates already applied).
    open func callAsFunction(_ step: Int) -> Float {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    open var config: JSONObject { JSONObject() }
}

/// An optimizer's learning rate: a number or a schedule.
public enum LearningRate {
    case constant(Float)
    case schedule(LearningRateSchedule)

    public init(config value: JSONValue?, owner: String, default fallback: Float) throws {
        guard let value, !value.isNull else { self = .constant(fallback); return }
        if let number = value.doubleValue { self = .constant(Float(number)); return }
        if case .object = value { self = .schedule(try Registries.schedules.make(from: value)); return }
        throw KeelError("\(owner): field 'learning_rate'", expected: "a number or a schedule config", found: value.summary)
    }

    public var configValue: JSONValue {
        switch self {
        case .constant(let rate): return .double(Double(rate))
        case .schedule(let schedule): return schedule.serialized(module: "keras.optimizers.schedules")
        }
    }
}
