/// Named arguments a layer call takes beside its inputs (Keras's call keyword arguments):
/// CategoryEncoding's `count_weights`; masks, an RNN's `initial_state` and attention flags use
/// the same path. A layer names the arguments it accepts (`acceptedCallArguments`) and reads
/// them in `call(_:arguments:training:)`.
public struct CallArguments {
    public enum Value {
        case tensor(Tensor)
        case tensors([Tensor])
        /// One tensor or none per input: Attention's `mask` ([query mask, value mask]).
        case optionalTensors([Tensor?])
        case bool(Bool)
    }

    public private(set) var values: [String: Value]

    public init(_ values: [String: Value] = [:]) { self.values = values }

    public static var none: CallArguments { CallArguments() }

    public var isEmpty: Bool { values.isEmpty }
    public var names: [String] { values.keys.sorted() }

    public subscript(name: String) -> Value? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The argument as one tensor; nil when absent or of another kind.
    public func tensor(_ name: String) -> Tensor? {
        if case .tensor(let t)? = values[name] { return t }
        return nil
    }

    public func tensors(_ name: String) -> [Tensor]? {
        if case .tensors(let t)? = values[name] { return t }
        return nil
    }

    /// The argument as one optional tensor per input (masks): a lone tensor is the first input's.
    public func optionalTensors(_ name: String) -> [Tensor?]? {
        switch values[name] {
        case .tensor(let t)?: return [t]
        case .tensors(let ts)?: return ts.map { $0 }
        case .optionalTensors(let ts)?: return ts
        default: return nil
        }
    }

    /// The arguments that are not tensors (flags): what is known when a model is built.
    public var flags: CallArguments {
        CallArguments(values.filter { if case .bool = $0.value { return true } else { return false } })
    }

    public func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = values[name] { return b }
        return nil
    }
}

extension Layer {
    /// Refuses arguments the layer does not take, naming them and the layer (for arguments that
    /// come from outside: a file, a fixture).
    public func checkCallArguments(_ arguments: CallArguments) throws {
        try checkCallArgumentNames(arguments.names)
    }

    /// `checkCallArguments` for arguments known by name only (a graph's tensor arguments).
    public func checkCallArgumentNames(_ names: [String]) throws {
        let unknown = names.filter { !acceptedCallArguments.contains($0) }
        guard unknown.isEmpty else {
            let accepted = acceptedCallArguments.sorted()
            throw KeelError("\(nameForMessages): call arguments",
                            expected: accepted.isEmpty ? "none" : accepted.joined(separator: ", "),
                            found: unknown.joined(separator: ", "))
        }
    }
}
