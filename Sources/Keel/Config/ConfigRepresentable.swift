/// A type a hyper-parameter can have: read from a Keras config value and written back the way
/// Keras writes it.
public protocol ConfigRepresentable {
    /// Reads a config value; throws `ConfigMismatch` (what was expected) when it does not fit.
    init(configValue: JSONValue) throws
    var configValue: JSONValue { get }
    /// A problem found when the value was made in Swift, reported when the component is checked
    /// (an activation named in a Swift initialiser that nobody registered).
    var deferredProblem: String? { get }
}

extension ConfigRepresentable {
    public var deferredProblem: String? { nil }
}

/// What a config value should have been.
public struct ConfigMismatch: Error {
    public let expected: String
    public init(_ expected: String) { self.expected = expected }
}

extension Int: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let value = configValue.intValue else { throw ConfigMismatch("an integer") }
        self = value
    }
    public var configValue: JSONValue { .int(self) }
}

/// Keras's hyper-parameters are Python floats: kept as Double so configs round-trip exactly.
extension Double: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let value = configValue.doubleValue else { throw ConfigMismatch("a number") }
        self = value
    }
    public var configValue: JSONValue { .double(self) }
}

extension Bool: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let value = configValue.boolValue else { throw ConfigMismatch("true or false") }
        self = value
    }
    public var configValue: JSONValue { .bool(self) }
}

extension String: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let value = configValue.stringValue else { throw ConfigMismatch("a string") }
        self = value
    }
    public var configValue: JSONValue { .string(self) }
}

extension Optional: ConfigRepresentable where Wrapped: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        if configValue.isNull { self = nil; return }
        do {
            self = try Wrapped(configValue: configValue)
        } catch let mismatch as ConfigMismatch {
            throw ConfigMismatch("\(mismatch.expected) or null")
        }
    }
    public var configValue: JSONValue { self?.configValue ?? .null }
    public var deferredProblem: String? { self?.deferredProblem }
}

/// A list; a single value also reads as a one-element list... except for integer tuples, which
/// `IntTuple` handles (Keras accepts `kernel_size=3` for `(3, 3)`).
extension Array: ConfigRepresentable where Element: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let items = configValue.arrayValue else { throw ConfigMismatch("a list") }
        self = try items.map { try Element(configValue: $0) }
    }
    public var configValue: JSONValue { .array(map(\.configValue)) }
    public var deferredProblem: String? { lazy.compactMap(\.deferredProblem).first }
}

/// Any JSON, kept as it is (fields Keel passes through unchanged).
extension JSONValue: ConfigRepresentable {
    public init(configValue: JSONValue) throws { self = configValue }
    public var configValue: JSONValue { self }
}

/// A fixed number of integers (kernel size, strides, pool size, dilation): Keras accepts one
/// integer for all of them and writes the list back.
public struct IntTuple<Arity: TupleArity>: ConfigRepresentable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    public var values: [Int]

    public init(_ values: [Int]) {
        opCheck(values.count == Arity.count, "IntTuple: \(Arity.count) values expected, got \(values.count)")
        self.values = values
    }
    public init(integerLiteral value: Int) { values = Array(repeating: value, count: Arity.count) }
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    public init(configValue: JSONValue) throws {
        let expected = "an integer or a list of \(Arity.count) integers"
        if let single = configValue.intValue { values = Array(repeating: single, count: Arity.count); return }
        guard let items = configValue.arrayValue, items.count == Arity.count else { throw ConfigMismatch(expected) }
        values = try items.map { item in
            guard let value = item.intValue else { throw ConfigMismatch(expected) }
            return value
        }
    }
    public var configValue: JSONValue { .from(values) }
    public subscript(index: Int) -> Int { values[index] }
}

public protocol TupleArity { static var count: Int { get } }
public enum Two: TupleArity { public static var count: Int { 2 } }
public enum One: TupleArity { public static var count: Int { 1 } }
public enum Three: TupleArity { public static var count: Int { 3 } }
public typealias IntPair = IntTuple<Two>

extension HyperCheck {
    /// Every entry positive (kernel sizes, strides, pool sizes), none of them huge.
    public static func allPositive<Arity>() -> HyperCheck where Value == IntTuple<Arity> {
        HyperCheck("positive integers up to \(1 << 24)") { $0.values.allSatisfy { $0 > 0 && $0 <= 1 << 24 } }
    }
}

/// A word from a closed set, stored as the enum Keel computes with (`padding`, `data_format`).
extension ConfigRepresentable where Self: RawRepresentable, RawValue == String, Self: CaseIterable {
    public init(configValue: JSONValue) throws {
        let choices = Self.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = configValue.stringValue, let value = Self(rawValue: text.lowercased()) else {
            throw ConfigMismatch("one of \(choices)")
        }
        self = value
    }
    public var configValue: JSONValue { .string(rawValue) }
}

extension Activation: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        do {
            self = try Activation.from(configValue)
        } catch let error as KeelError {
            throw ConfigMismatch("a registered activation (\(error.message))")
        }
    }
    public var configValue: JSONValue {
        guard let arguments else { return .string(name) }
        return ["module": "keras.activations", "class_name": .string(name), "config": .object(arguments),
                "registered_name": nil]
    }
    public var deferredProblem: String? { problem }
}

extension Initializer: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.initializers.make(from: value) }
}

extension Regularizer: ConfigRepresentable, NestedComponent {
    public static func make(from value: JSONValue) throws -> AnyObject { try Registries.regularizers.make(from: value) }
}

/// Components that are themselves configured (initializers, regularizers, constraints, schedules)
/// nest as Keras serializes them: a name, or `{"module", "class_name", "config", "registered_name"}`.
public protocol NestedComponent: AnyObject, KerasSerializable {
    static func make(from value: JSONValue) throws -> AnyObject
    /// `{"module", "class_name", "config", "registered_name"}`, named by the object's own class.
    func serialized() -> JSONValue
}

extension ConfigRepresentable where Self: NestedComponent {
    public init(configValue: JSONValue) throws {
        let made: AnyObject
        do {
            made = try Self.make(from: configValue)
        } catch let error as KeelError {
            throw ConfigMismatch("a known \(Self.self) name or config (\(error.message))")
        }
        guard let typed = made as? Self else { throw ConfigMismatch("a \(Self.self)") }
        self = typed
    }
    public var configValue: JSONValue { serialized() }
}
