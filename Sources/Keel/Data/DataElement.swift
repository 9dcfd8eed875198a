/// One element of a `Dataset`, shaped as tf.data's nested structures: arrays (the leaves) inside
/// tuples and named dictionaries. Numbers the model trains on are `Tensor`s (float32 or int32);
/// `bytes` keeps uint8 data (images as files hold them) at a quarter of float32's size until a
/// `map` or the model's input converts a batch; `strings` carries text.
public indirect enum DataElement {
    case tensor(Tensor)
    case bytes(ByteArray)
    case strings(StringArray)
    case tuple([DataElement])
    /// Keys in the order they were given (tf.data sorts nothing away either).
    case dict([(key: String, value: DataElement)])

    /// The leaves in order (tuple items in order, dictionary values in key order).
    public var leaves: [DataElement] {
        switch self {
        case .tensor, .bytes, .strings: return [self]
        case .tuple(let items): return items.flatMap(\.leaves)
        case .dict(let pairs): return pairs.flatMap(\.value.leaves)
        }
    }

    /// The same structure with each leaf replaced by `transform(leaf)`.
    public func mapLeaves(_ transform: (DataElement) throws -> DataElement) rethrows -> DataElement {
        switch self {
        case .tensor, .bytes, .strings: return try transform(self)
        case .tuple(let items): return .tuple(try items.map { try $0.mapLeaves(transform) })
        case .dict(let pairs): return .dict(try pairs.map { (key: $0.key, value: try $0.value.mapLeaves(transform)) })
        }
    }

    /// The same element with every uint8 leaf converted to float32 times `scale` in one pass (the
    /// `map` that turns a batch of stored pixels into the model's input: `scale: 1 / 255`).
    public func bytesAsFloats(scale: Float = 1) -> DataElement {
        mapLeaves { leaf in
            guard case .bytes(let b) = leaf else { return leaf }
            return .tensor(b.floats(scale: scale))
        }
    }

    /// The element's tensor, or an error naming `what` when it is another kind.
    public func tensor(_ what: String) throws -> Tensor {
        switch self {
        case .tensor(let t): return t
        case .bytes(let b): return b.floats()
        default: throw KeelError(what, expected: "an array of numbers", found: kind)
        }
    }

    /// The value under `key` of a dictionary element.
    public subscript(key: String) -> DataElement? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The shape of a leaf (nil for tuples and dictionaries).
    public var shape: [Int]? {
        switch self {
        case .tensor(let t): return t.shape
        case .bytes(let b): return b.shape
        case .strings(let s): return s.shape
        case .tuple, .dict: return nil
        }
    }

    /// What the element is, for error messages: `float32 [28, 28]`, `(uint8 [784], int32 [])`, `{"a": string []}`.
    public var kind: String {
        switch self {
        case .tensor(let t): return "\(t.dtype) \(t.shape)"
        case .bytes(let b): return "uint8 \(b.shape)"
        case .strings(let s): return "string \(s.shape)"
        case .tuple(let items): return "(" + items.map(\.kind).joined(separator: ", ") + ")"
        case .dict(let pairs): return "{" + pairs.map { "\"\($0.key)\": \($0.value.kind)" }.joined(separator: ", ") + "}"
        }
    }

    /// The same nesting (tuple lengths, dictionary keys, leaf kinds), ignoring leaf shapes.
    func hasSameStructure(as other: DataElement) -> Bool {
        switch (self, other) {
        case (.tensor(let a), .tensor(let b)): return a.dtype == b.dtype
        case (.bytes, .bytes), (.strings, .strings): return true
        case (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.hasSameStructure(as: $1) }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value.hasSameStructure(as: $1.value) }
        default: return false
        }
    }
}

/// uint8 samples with their shape, row-major.
public struct ByteArray: Equatable, Sendable {
    public let shape: [Int]
    public let bytes: [UInt8]

    /// `bytes.count` must equal the product of `shape`.
    public init(shape: [Int], bytes: [UInt8]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == bytes.count else {
            throw KeelError("ByteArray", expected: "\(shape.reduce(1, *)) bytes for shape \(shape)", found: "\(bytes.count)")
        }
        self.shape = shape
        self.bytes = bytes
    }

    init(unchecked shape: [Int], bytes: [UInt8]) {
        self.shape = shape
        self.bytes = bytes
    }

    /// The values as float32 times `scale` (unscaled, 0...255, is how Keras feeds a uint8 array
    /// to a model).
    public func floats(scale: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<b.count { o[i] = Float(b[i]) * scale }
        }
        return out
    }
}

/// Strings with their shape (a scalar string has shape []).
public struct StringArray: Equatable, Sendable {
    public let shape: [Int]
    public let strings: [String]

    public init(shape: [Int], strings: [String]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == strings.count else {
            throw KeelError("StringArray", expected: "\(shape.reduce(1, *)) strings for shape \(shape)", found: "\(strings.count)")
        }
        self.shape = shape
        self.strings = strings
    }

    /// One string per row: shape [strings.count].
    public init(_ strings: [String]) {
        self.shape = [strings.count]
        self.strings = strings
    }

    init(unchecked shape: [Int], strings: [String]) {
        self.shape = shape
        self.strings = strings
    }
}
