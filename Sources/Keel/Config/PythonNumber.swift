/// A number as a Python config keeps it: Keras writes back an int where it was given (or
/// defaults to) an int, so MaxNorm's `max_value=2` is `"max_value": 2`, and a float where a float.
/// Keel computes with `value`.
public struct PythonNumber: ConfigRepresentable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public let value: Double
    public let isInteger: Bool

    public init(_ value: Double) {
        self.value = value
        isInteger = false
    }

    public init(_ value: Int) {
        self.value = Double(value)
        isInteger = true
    }

    public init(integerLiteral value: Int) { self.init(value) }
    public init(floatLiteral value: Double) { self.init(value) }

    public init(configValue: JSONValue) throws {
        if case .int(let integer) = configValue {
            self.init(integer)
            return
        }
        guard let number = configValue.doubleValue else { throw ConfigMismatch("a number") }
        self.init(number)
    }

    public var configValue: JSONValue { isInteger ? .int(Int(value)) : .double(value) }

    /// Compared as numbers: 2 and 2.0 are equal, as in Python.
    public static func == (a: PythonNumber, b: PythonNumber) -> Bool { a.value == b.value }
    public static func < (a: PythonNumber, b: PythonNumber) -> Bool { a.value < b.value }

    public var description: String { isInteger ? "\(Int(value))" : "\(value)" }
}
