import Synchronization

/// An n-dimensional array of Float32 (or Int32) values: row-major, immutable, and cheap to copy
/// (copies share one reference-counted, pooled buffer). Ops make new tensors; variables are
/// the only things updated in place.
public struct Tensor {
    public let shape: [Int]
    public let dtype: DType
    /// Shared storage. Internal code writes through it only right after creating it, or when it
    /// is known to be uniquely referenced.
    public internal(set) var storage: TensorStorage
    /// Identity for gradient tapes: every tensor an op makes gets a fresh one.
    public let id: UInt64

    private static let nextID = Atomic<UInt64>(1)
    @usableFromInline
    static func makeID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).oldValue }

    /// A tensor whose elements the caller will write before anyone reads them.
    public init(uninitializedShape shape: [Int], dtype: DType = .float32) {
        let count = ShapeMath.checkedCount(shape)
        self.shape = shape
        self.dtype = dtype
        self.storage = TensorStorage(byteCount: count &* dtype.byteCount, shape: shape, dtype: dtype)
        self.id = Tensor.makeID()
    }

    /// A new tensor (new identity) over the same storage, e.g. a reshape.
    init(sharing storage: TensorStorage, shape: [Int], dtype: DType) {
        self.shape = shape
        self.dtype = dtype
        self.storage = storage
        self.id = Tensor.makeID()
    }

    public init(shape: [Int], scalars: [Float]) {
        self.init(uninitializedShape: shape)
        opCheck(scalars.count == count, "Tensor: \(scalars.count) values do not fill shape \(shape)")
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.floats.update(from: base, count: scalars.count) }
        }
    }

    public init(shape: [Int], int32s: [Int32]) {
        self.init(uninitializedShape: shape, dtype: .int32)
        opCheck(int32s.count == count, "Tensor: \(int32s.count) values do not fill shape \(shape)")
        int32s.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.int32s.update(from: base, count: int32s.count) }
        }
    }

    /// A rank-0 tensor.
    public init(_ scalar: Float) {
        self.init(uninitializedShape: [])
        storage.floats[0] = scalar
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(uninitializedShape: shape)
        storage.floats.update(repeating: value, count: count)
    }

    public init(repeatingInt32 value: Int32, shape: [Int]) {
        self.init(uninitializedShape: shape, dtype: .int32)
        storage.int32s.update(repeating: value, count: count)
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    public var rank: Int { shape.count }
    public var count: Int { ShapeMath.count(shape) }

    /// The elements in row-major order (Float32 tensors; Int32 ones are converted).
    public var scalars: [Float] {
        if dtype == .int32 { return int32Scalars.map { Float($0) } }
        return Array(UnsafeBufferPointer(start: storage.floats, count: count))
    }

    public var int32Scalars: [Int32] {
        // The same saturating conversion as `cast`: NaN or huge values must not trap.
        if dtype == .float32 { return cast(to: .int32).int32Scalars }
        return Array(UnsafeBufferPointer(start: storage.int32s, count: count))
    }

    /// The only element of a one-element tensor.
    public var scalar: Float {
        opCheck(count == 1, "Tensor.scalar: the tensor has shape \(shape), not one element")
        return dtype == .float32 ? storage.floats[0] : Float(storage.int32s[0])
    }

    @inlinable
    public func withUnsafeFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        opCheck(dtype == .float32, "Tensor.withUnsafeFloats: expected float32 elements, found \(dtype) (shape \(shape))")
        return try body(UnsafeBufferPointer(start: storage.floats, count: count))
    }

    @inlinable
    public func withUnsafeInt32s<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        opCheck(dtype == .int32, "Tensor.withUnsafeInt32s: expected int32 elements, found \(dtype) (shape \(shape))")
        return try body(UnsafeBufferPointer(start: storage.int32s, count: count))
    }

    /// Writes the elements of a tensor that is not shared with any other tensor value
    /// (copying them first otherwise). Used by variables and optimizers for in-place updates.
    public mutating func withUniqueMutableFloats<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        opCheck(dtype == .float32, "Tensor.withUniqueMutableFloats: expected float32 elements, found \(dtype) (shape \(shape))")
        if !isKnownUniquelyReferenced(&storage) {
            let copy = TensorStorage(byteCount: storage.byteCount)
            copy.pointer.copyMemory(from: storage.pointer, byteCount: storage.byteCount)
            storage = copy
        }
        return try body(UnsafeMutableBufferPointer(start: storage.floats, count: count))
    }

    /// A copy with its own storage and identity.
    public func copied() -> Tensor {
        let result = Tensor(uninitializedShape: shape, dtype: dtype)
        result.storage.pointer.copyMemory(from: storage.pointer, byteCount: count &* dtype.byteCount)
        return result
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = count <= 16 ? (dtype == .float32 ? scalars.description : int32Scalars.description) : "[\(count) values]"
        return "Tensor(shape: \(shape), \(dtype), \(values))"
    }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Float) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(Float(value)) }
}
