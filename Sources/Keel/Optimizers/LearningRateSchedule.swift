/// A learning rate that depends on the optimizer's step (`iterations`), as
/// `keras.optimizers.schedules.LearningRateSchedule`. Built-in schedules compute in Double and
/// round the result to Float, the float32 value Keras returns.
open class LearningRateSchedule: PlainComponent {
    open override class var kerasModule: String { "keras.optimizers.schedules" }

    /// The learning rate for `step` (the number of updates already applied).
    open func callAsFunction(_ step: Int) -> Float {
        OpCheck.fail("\(type(of: self)) must override callAsFunction(_:)")
    }
}

/// Schedules nest in optimizer configs (and LearningRateScheduler's) as Keras serializes them.
extension LearningRateSchedule: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.schedules.make(from: value) }
}

/// An optimizer's learning rate: a number or a schedule. A literal reads as a number, so
/// `Adam(learningRate: 1e-3)` works; a schedule is `.schedule(ExponentialDecay(...))`.
public enum LearningRate: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case constant(Float)
    case schedule(LearningRateSchedule)

    public init(floatLiteral value: Float) { self = .constant(value) }
    public init(integerLiteral value: Int) { self = .constant(Float(value)) }

    public init(config value: JSONValue?, owner: String, default fallback: Float) throws {
        guard let value, !value.isNull else { self = .constant(fallback); return }
        if let number = value.doubleValue { self = .constant(Float(number)); return }
        if case .object = value { self = .schedule(try Registries.schedules.make(from: value)); return }
        throw KeelError("\(owner): field 'learning_rate'", expected: "a number or a schedule config", found: value.summary)
    }

    /// As Keras's optimizer `get_config` writes it: the float32 value as a double, or the
    /// serialized schedule.
    public var configValue: JSONValue {
        switch self {
        case .constant(let rate): return .double(Double(rate))
        case .schedule(let schedule): return schedule.serialized()
        }
    }
}
