/// NumPy element types Keel has no `ElementType` for, read without loss into a wider one: a
/// model's inputs are cast anyway (as Keras casts them), so refusing these would only be in the way.
enum NPYWidening: String, Equatable {
    case float16 = "f2", uint16 = "u2", uint32 = "u4", uint64 = "u8"

    var fileElementSize: Int {
        switch self {
        case .float16, .uint16: return 2
        case .uint32: return 4
        case .uint64: return 8
        }
    }

    var elementType: ElementType {
        switch self {
        case .float16: return .float32
        case .uint16: return .int32
        case .uint32, .uint64: return .int64
        }
    }

    /// The little-endian elements of `bytes` (in this file type) as `elementType`'s bytes. uint64
    /// values above Int64.max are an error naming the value.
    func widen(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        let count = bytes.count / fileElementSize
        return try bytes.withUnsafeBytes { raw -> [UInt8] in
            func load<T: FixedWidthInteger>(_ i: Int, as: T.Type) -> T {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: i &* fileElementSize, as: T.self))
            }
            switch self {
            case .float16:
                let values = (0..<count).map { Float(Float16(bitPattern: load($0, as: UInt16.self))) }
                return values.withUnsafeBytes { [UInt8]($0) }
            case .uint16:
                let values = (0..<count).map { Int32(load($0, as: UInt16.self)) }
                return values.withUnsafeBytes { [UInt8]($0) }
            case .uint32:
                let values = (0..<count).map { Int64(load($0, as: UInt32.self)) }
                return values.withUnsafeBytes { [UInt8]($0) }
            case .uint64:
                let values = try (0..<count).map { i -> Int64 in
                    let value = load(i, as: UInt64.self)
                    guard let fitting = Int64(exactly: value) else {
                        throw KeelError(name, expected: "uint64 values up to \(Int64.max)", found: "\(value) at index \(i)")
                    }
                    return fitting
                }
                return values.withUnsafeBytes { [UInt8]($0) }
            }
        }
    }
}
