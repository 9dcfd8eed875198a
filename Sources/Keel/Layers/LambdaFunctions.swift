import Foundation

/// A function a `Lambda` layer computes: a Swift closure, and the name it is registered under
/// (nil: anonymous, which works in memory but cannot be saved).
public struct LambdaFunction {
    public let name: String?
    /// How many inputs the function takes.
    public let inputCount: InputCount
    let body: ([Tensor]) -> Tensor

    /// An anonymous function of one tensor.
    public init(_ body: @escaping (Tensor) -> Tensor) {
        name = nil
        inputCount = .one
        self.body = { body($0[0]) }
    }

    init(name: String?, inputCount: InputCount, body: @escaping ([Tensor]) -> Tensor) {
        self.name = name
        self.inputCount = inputCount
        self.body = body
    }

    public func callAsFunction(_ inputs: [Tensor]) -> Tensor { body(inputs) }
}

/// The named functions `Lambda` layers can be rebuilt with (Keras's registered serializable
/// functions). Register a function once, under a name, before building or loading a model that
/// uses it:
///
///     LambdaFunctions.register("double") { $0 * 2 }
///     let loaded = try Model.load(from: "model.keras")   // its Lambda layers find "double"
///
/// Registering a name again replaces its function, so code that builds a model twice (or
/// registers it in `Lambda("double") { $0 * 2 }` each time) keeps working; the last definition wins.
public enum LambdaFunctions {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var functions: [String: LambdaFunction] = [:]

    /// Registers a function of one tensor under `name`.
    @discardableResult
    public static func register(_ name: String, _ body: @escaping (Tensor) -> Tensor) -> LambdaFunction {
        store(LambdaFunction(name: name, inputCount: .one) { body($0[0]) })
    }

    /// Registers a function of `inputs` tensors (2 or more), called with them in order.
    @discardableResult
    public static func register(_ name: String, inputs: Int, _ body: @escaping ([Tensor]) -> Tensor) -> LambdaFunction {
        opCheck(inputs >= 1, "LambdaFunctions.register('\(name)'): a function takes at least one input, not \(inputs)")
        return store(LambdaFunction(name: name, inputCount: inputs == 1 ? .one : .exactly(inputs), body: body))
    }

    private static func store(_ function: LambdaFunction) -> LambdaFunction {
        opCheck(!(function.name ?? "").isEmpty, "LambdaFunctions.register: the name must not be empty")
        lock.lock()
        defer { lock.unlock() }
        functions[function.name!] = function
        return function
    }

    /// The function registered under `name`; Keras's "package>name" form also finds "name".
    public static func function(named name: String) -> LambdaFunction? {
        lock.lock()
        defer { lock.unlock() }
        if let function = functions[name] { return function }
        if let separator = name.lastIndex(of: ">") { return functions[String(name[name.index(after: separator)...])] }
        return nil
    }

    /// The registered names, sorted.
    public static var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return functions.keys.sorted()
    }
}

/// In a config, a function is written as Keras writes a registered function:
/// `{"module": "builtins", "class_name": "function", "config": "<name>", "registered_name": "function"}`;
/// a plain name reads too. An anonymous closure has no config form: saving refuses it
/// (`Lambda.checkSavable`), and this writes null.
extension LambdaFunction: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        let name: String?
        if let text = configValue.stringValue {
            name = text
        } else if let object = configValue.objectValue {
            if object["class_name"]?.stringValue == "__lambda__" {
                throw ConfigMismatch("a function registered by name (this file holds a Python lambda's bytecode, which Keel cannot run: register a Swift function under a name with LambdaFunctions.register and save the model with it)")
            }
            name = object["config"]?.stringValue
        } else {
            name = nil
        }
        guard let name else { throw ConfigMismatch("a registered function's name, or Keras's {\"class_name\": \"function\", \"config\": name}") }
        guard let function = LambdaFunctions.function(named: name) else {
            let known = LambdaFunctions.names
            throw ConfigMismatch("the name of a function registered with LambdaFunctions.register ('\(name)' is not; registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        self = function
    }

    public var configValue: JSONValue {
        guard let name else { return .null }
        return ["module": "builtins", "class_name": "function", "config": .string(name), "registered_name": "function"]
    }
}
