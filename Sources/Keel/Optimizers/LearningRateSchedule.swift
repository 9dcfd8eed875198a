/// A learning rate that depends on the optimizer's step (`iterations`), as
/// `keras.optimizers.schedules.LearningRateSchedule`. Built-in schedules compute in Double and
/// round the result to Float, the float32 value Keras returns. A schedule declares its fields with
/// `@Hyper`; this base builds it from a config, checks it and writes its config.
open class LearningRateSchedule: ConfigConstructible {
    open class var kerasClassName: String { "LearningRateSchedule" }

    /// Every field keeps its declared default; `@Component` gives each schedule an initialiser
    /// that takes them.
    public init() {}

    /// Keras's `cls(**config)`: each key is a declared field; any other key is an error naming it.
    public required convenience init(config: JSONObject) throws {
        self.init()
        try Hyperparameters.read(config, into: self, owner: "\(Self.kerasClassName) config", otherKeys: [])
        try check()
        didConfigure()
    }

    /// Each declared field's rules. A schedule whose fields depend on one another overrides it
    /// (calling `super`). The optimizer's check runs it for schedules made in Swift.
    open func check() throws {
        try Hyperparameters.check(self, owner: Self.kerasClassName)
    }

    /// Runs once the fields are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    /// The learning rate for `step` (the number of updates already applied).
    open func callAsFunction(_ step: Int) -> Float {
        preconditionFailure("\(type(of: self)) must override callAsFunction(_:)")
    }

    public var config: JSONObject {
        var config = JSONObject()
        Hyperparameters.write(self, into: &config)
        return config
    }
}

extension LearningRateSchedule: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.schedules.make(from: value) }

    /// `{"module": "keras.optimizers.schedules", "class_name", "config", "registered_name"}`,
    /// named by the object's own class.
    public func serialized() -> JSONValue {
        ["module": "keras.optimizers.schedules", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }

    /// A schedule whose fields break its rules (made in Swift) is reported where it is used.
    public var deferredProblem: String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }
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
