/// An experiment: a named, runnable piece of work with default hyper-parameters, loaded from a
/// plugin and started by `keel run <name>`. It may use `fit` or its own loop.
open class Experiment {
    /// The name `keel run` takes, e.g. "fashion-mlp".
    open class var name: String { OpCheck.fail("experiment \(self) must override `name`") }
    /// One line for `keel list`.
    open class var summary: String { "" }
    /// Hyper-parameters and their defaults; `--set key=value` overrides them.
    open class var defaults: [String: HyperValue] { [:] }

    public required init() {}

    open func run(_ context: ExperimentContext) throws {
        OpCheck.fail("experiment \(type(of: self)) must override run(_:)")
    }

    /// One row per hyper-parameter, sorted by name: key, default, type (for `keel list` and
    /// `keel help run <experiment>`).
    public static var hyperParameterRows: [[String]] {
        defaults.keys.sorted().map { key in [key, defaults[key]!.description, defaults[key]!.typeName] }
    }
}

/// A hyper-parameter value as configs and the command line carry it.
public enum HyperValue: Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return JSONValue.pythonRepr(v)
        case .bool(let v): return String(v)
        case .string(let v): return v
        }
    }

    /// The kind `--set` expects for this value.
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .string: return "string"
        }
    }

    public var json: JSONValue {
        switch self {
        case .int(let v): return .int(v)
        case .double(let v): return .double(v)
        case .bool(let v): return .bool(v)
        case .string(let v): return .string(v)
        }
    }

    /// Parses `text` as the same kind as `like` (the default), so `--set epochs=x` is an error.
    public static func parse(_ text: String, like example: HyperValue, key: String) throws -> HyperValue {
        func bad(_ expected: String) -> KeelError {
            KeelError("--set \(key)=\(text)", expected: expected, found: "'\(text)'")
        }
        switch example {
        case .int: guard let v = Int(text) else { throw bad("an integer") }; return .int(v)
        case .double: guard let v = Double(text), v.isFinite else { throw bad("a number") }; return .double(v)
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes": return .bool(true)
            case "false", "0", "no": return .bool(false)
            default: throw bad("true or false")
            }
        case .string: return .string(text)
        }
    }
}
