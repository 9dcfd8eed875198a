/// The memory behind a tensor: a pooled, 64-byte-aligned buffer, released to the pool when the
/// last tensor using it goes away.
public final class TensorStorage {
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int

    public init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = BufferPool.shared.allocate(byteCount: byteCount)
    }

    /// Storage for a tensor of `shape`, whose size a failed allocation names.
    init(byteCount: Int, shape: [Int], dtype: DType) {
        self.byteCount = byteCount
        guard let pointer = BufferPool.shared.allocateIfPossible(byteCount: byteCount) else {
            OpCheck.fail("out of memory: a \(dtype) tensor of shape \(shape) needs \(BufferPool.describe(bytes: byteCount))")
        }
        self.pointer = pointer
    }

    deinit {
        BufferPool.shared.release(pointer, byteCount: byteCount)
    }

    @inlinable
    public var floats: UnsafeMutablePointer<Float> { pointer.assumingMemoryBound(to: Float.self) }
    @inlinable
    public var int32s: UnsafeMutablePointer<Int32> { pointer.assumingMemoryBound(to: Int32.self) }
}
