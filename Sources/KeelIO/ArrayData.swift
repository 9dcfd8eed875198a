/// The element types Keel's file formats carry (NumPy's names).
public enum ElementType: String, CaseIterable, Sendable {
    case float32, float64, int8, uint8, int16, int32, int64, bool

    public var byteCount: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .int16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }
}

/// A Swift number type that can be the element of an `ArrayData`.
public protocol ArrayElement {
    static var elementType: ElementType { get }
}
extension Float: ArrayElement { public static var elementType: ElementType { .float32 } }
extension Double: ArrayElement { public static var elementType: ElementType { .float64 } }
extension Int8: ArrayElement { public static var elementType: ElementType { .int8 } }
extension UInt8: ArrayElement { public static var elementType: ElementType { .uint8 } }
extension Int16: ArrayElement { public static var elementType: ElementType { .int16 } }
extension Int32: ArrayElement { public static var elementType: ElementType { .int32 } }
extension Int64: ArrayElement { public static var elementType: ElementType { .int64 } }
extension Bool: ArrayElement { public static var elementType: ElementType { .bool } }

/// An n-dimensional array as files hold it: element type, shape and the elements in C
/// (row-major) order as little-endian bytes. The format readers and writers (NPY, NPZ, IDX,
/// HDF5 datasets) exchange this; the engine turns it into tensors.
public struct ArrayData: Equatable, Sendable {
    public let elementType: ElementType
    public let shape: [Int]
    public let bytes: [UInt8]

    public var count: Int { shape.reduce(1, *) }

    /// `bytes.count` must be `shape.product * elementType.byteCount`.
    public init(elementType: ElementType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "ArrayData: negative dimension in shape \(shape)")
        precondition(bytes.count == shape.reduce(1, *) * elementType.byteCount,
                     "ArrayData: \(bytes.count) bytes do not hold shape \(shape) of \(elementType)")
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
    }

    public init<T: ArrayElement>(_ values: [T], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *),
                     "ArrayData: \(values.count) values do not fill shape \(shape)")
        let bytes = values.withUnsafeBytes { [UInt8]($0) }
        self.init(elementType: T.elementType, shape: shape, bytes: bytes)
    }

    /// The elements as `T`, or nil when `T` is not this array's element type.
    public func values<T: ArrayElement>(as type: T.Type) -> [T]? {
        guard T.elementType == elementType else { return nil }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialized = count
        }
    }

    /// The elements converted to Float, whatever the element type (bool as 0/1).
    public func floatValues() -> [Float] {
        switch elementType {
        case .float32: return values(as: Float.self)!
        case .float64: return values(as: Double.self)!.map { Float($0) }
        case .int8: return values(as: Int8.self)!.map { Float($0) }
        case .uint8: return values(as: UInt8.self)!.map { Float($0) }
        case .int16: return values(as: Int16.self)!.map { Float($0) }
        case .int32: return values(as: Int32.self)!.map { Float($0) }
        case .int64: return values(as: Int64.self)!.map { Float($0) }
        case .bool: return bytes.map { $0 == 0 ? 0 : 1 }
        }
    }
}
