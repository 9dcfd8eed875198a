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

    /// Scratch memory for an op: float32 values laid out as `dimensions`. A size that overflows
    /// or that the system cannot give ends the process with a message naming it.
    static func scratchFloats(_ dimensions: [Int], op: String) -> TensorStorage {
        var count = 1
        for d in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if d < 0 || overflow || product > ShapeMath.maximumElementCount {
                OpCheck.fail("\(op): a scratch buffer of \(dimensions) float32 values is larger than memory can hold (at most 2^45 values)")
            }
            count = product
        }
        return TensorStorage(byteCount: count &* 4, shape: dimensions, dtype: .float32)
    }

    deinit {
        BufferPool.shared.release(pointer, byteCount: byteCount)
    }

    @inlinable
    public var floats: UnsafeMutablePointer<Float> { pointer.assumingMemoryBound(to: Float.self) }
    @inlinable
    public var int32s: UnsafeMutablePointer<Int32> { pointer.assumingMemoryBound(to: Int32.self) }
}
