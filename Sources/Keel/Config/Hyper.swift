/// One hyper-parameter of a component, declared once where the component declares its property:
///
///     @Hyper("beta_1", .inRange(0...1)) public var beta1 = 0.9
///     @Hyper("units", .positive) public var units: Int          // required: no default
///
/// The declaration gives the Keras config key, the default (the initial value), the type and the
/// checks. From it, and from nothing else, come `init(config:)` (the family base reads every
/// declared field and rejects keys nobody declared, naming the closest one), `config` (in
/// declaration order, base class first, as Keras's `{**base_config, **config}`), and the checks
/// run when a component is configured or a layer is called. See `Hyperparameters`.
@propertyWrapper
public final class Hyper<Value: ConfigRepresentable>: DeclaredHyperparameter {
    public let key: String
    private var storage: Value?
    private let checks: [HyperCheck<Value>]
    /// False for fields Keras accepts in the constructor but leaves out of `get_config`
    /// (Huber's `delta`).
    public let isWritten: Bool

    public init(wrappedValue: Value, _ key: String, _ checks: HyperCheck<Value>..., written: Bool = true) {
        self.key = key
        self.storage = wrappedValue
        self.checks = checks
        self.isWritten = written
    }

    /// A field without a default: a config must give it, a Swift initialiser must set it.
    public init(_ key: String, _ checks: HyperCheck<Value>..., written: Bool = true) {
        self.key = key
        self.storage = nil
        self.checks = checks
        self.isWritten = written
    }

    public var wrappedValue: Value {
        get {
            guard let storage else {
                OpCheck.fail("hyper-parameter '\(key)' was read before it was set: its class's initialiser must set it")
            }
            return storage
        }
        set { storage = newValue }
    }

    /// `$units` is the declaration itself (its key, for messages).
    public var projectedValue: Hyper<Value> { self }

    public var isSet: Bool { storage != nil }

    public func read(_ value: JSONValue?, owner: String) throws {
        guard let value else {
            if storage == nil { throw KeelError("\(owner): field '\(key)'", expected: "a value (it has no default)", found: "none") }
            return
        }
        do {
            storage = try Value(configValue: value)
        } catch let mismatch as ConfigMismatch {
            throw KeelError("\(owner): field '\(key)'", expected: mismatch.expected, found: value.summary)
        }
    }

    public func check(owner: String) throws {
        guard let storage else {
            throw KeelError("\(owner): field '\(key)'", expected: "a value (it has no default)", found: "none")
        }
        if let problem = storage.deferredProblem { throw KeelError("\(owner): field '\(key)': \(problem)") }
        for check in checks where !check.holds(storage) {
            throw KeelError("\(owner): field '\(key)'", expected: check.expected, found: "\(storage.configValue.summary)")
        }
    }

    public var configValue: JSONValue { storage?.configValue ?? .null }
}

/// The type-erased face of `Hyper`, which the family base classes walk.
public protocol DeclaredHyperparameter: AnyObject {
    var key: String { get }
    var isWritten: Bool { get }
    /// Sets the value from a config (nil: the key is absent, so the default stays).
    func read(_ value: JSONValue?, owner: String) throws
    /// Runs the declared checks on the current value.
    func check(owner: String) throws
    var configValue: JSONValue { get }
}

/// A rule a hyper-parameter's value must follow, with the words that describe it in an error.
public struct HyperCheck<Value> {
    public let expected: String
    public let holds: (Value) -> Bool

    public init(_ expected: String, _ holds: @escaping (Value) -> Bool) {
        self.expected = expected
        self.holds = holds
    }
}

extension HyperCheck where Value: Comparable & ExpressibleByIntegerLiteral {
    public static var positive: HyperCheck { HyperCheck("a positive number") { $0 > 0 } }
    public static var nonNegative: HyperCheck { HyperCheck("a number ≥ 0") { $0 >= 0 } }
    public static func atLeast(_ bound: Value) -> HyperCheck { HyperCheck("a number ≥ \(bound)") { $0 >= bound } }
    public static func atMost(_ bound: Value) -> HyperCheck { HyperCheck("a number ≤ \(bound)") { $0 <= bound } }
    public static func inRange(_ range: ClosedRange<Value>) -> HyperCheck {
        HyperCheck("a number from \(range.lowerBound) to \(range.upperBound)") { range.contains($0) }
    }
}

extension HyperCheck where Value == Int {
    /// Sizes and counts from files must not ask for more memory than a machine has.
    public static var size: HyperCheck { HyperCheck("an integer from 1 to \(1 << 24)") { $0 >= 1 && $0 <= 1 << 24 } }
}

extension HyperCheck where Value == Double {
    /// [0, 1): a fraction of units to drop.
    public static var rate: HyperCheck { HyperCheck("a number in [0, 1)") { $0 >= 0 && $0 < 1 } }
}

extension HyperCheck where Value == String {
    /// One of a closed set of words, compared as Keras does after lower-casing.
    public static func oneOf(_ choices: [String]) -> HyperCheck {
        HyperCheck("one of \(choices.joined(separator: ", "))") { choices.contains($0.lowercased()) }
    }
}

extension HyperCheck {
    /// The field must stay null: Keel accepts the key (Keras writes it) but not what it asks for.
    public static func mustBeNull<Wrapped>(_ reason: String) -> HyperCheck where Value == Wrapped? {
        HyperCheck("null (\(reason))") { $0 == nil }
    }
}

extension HyperCheck where Value == Bool {
    /// The field must stay false: Keel does not do what it switches on.
    public static func mustBeFalse(_ reason: String) -> HyperCheck { HyperCheck("false (\(reason))") { !$0 } }
}
