import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Recycles tensor memory in power-of-two size classes, so a training loop in steady state
/// reuses the buffers of the previous step instead of asking the system allocator.
/// Buffers are 64-byte aligned (a cache line; what AVX-512 loads like).
public final class BufferPool: Sendable {
    public static let shared = BufferPool()

    /// Buffers kept per size class: a deep model frees hundreds of same-sized buffers at once
    /// when a tape goes away, so small classes keep up to 4096; large ones are capped at about
    /// 256 MB each so the cache cannot hoard memory.
    private static func maximumFree(sizeClass: Int) -> Int {
        max(64, min(4096, (1 << 28) >> sizeClass))
    }
    private static let classCount = 48

    private struct State {
        var free: [[UnsafeMutableRawPointer]] = Array(repeating: [], count: BufferPool.classCount)
        var systemAllocations = 0
        var reuses = 0
    }
    private let state = Mutex(State())

    /// The size class that holds `byteCount` bytes: buffers of 2^class bytes, at least 64.
    @inlinable
    static func sizeClass(for byteCount: Int) -> Int {
        let needed = max(byteCount, 64)
        return Int.bitWidth - (needed - 1).leadingZeroBitCount
    }

    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = allocateIfPossible(byteCount: byteCount) else {
            OpCheck.fail("out of memory: cannot allocate \(Self.describe(bytes: byteCount))")
        }
        return pointer
    }

    /// A buffer of at least `byteCount` bytes, or nil when the system has no memory for it.
    public func allocateIfPossible(byteCount: Int) -> UnsafeMutableRawPointer? {
        // Larger requests have no size class (and would index past the free lists).
        guard byteCount >= 0 && byteCount <= 1 << (Self.classCount - 1) else { return nil }
        let sizeClass = Self.sizeClass(for: byteCount)
        let reused: UnsafeMutableRawPointer? = state.withLock { state in
            if let buffer = state.free[sizeClass].popLast() {
                state.reuses &+= 1
                return buffer
            }
            state.systemAllocations &+= 1
            return nil
        }
        if let reused { return reused }
        var pointer: UnsafeMutableRawPointer? = nil
        let status = posix_memalign(&pointer, 64, 1 << sizeClass)
        return status == 0 ? pointer : nil
    }

    /// A byte count as people read it: "6.1 TB".
    public static func describe(bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : "\((value * 10).rounded() / 10) \(units[unit])"
    }

    public func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let sizeClass = Self.sizeClass(for: byteCount)
        let kept = state.withLock { state -> Bool in
            guard state.free[sizeClass].count < Self.maximumFree(sizeClass: sizeClass) else { return false }
            state.free[sizeClass].append(pointer)
            return true
        }
        if !kept { free(pointer) }
    }

    /// How many buffers came from the system allocator, and how many were reused, so far.
    public var statistics: (systemAllocations: Int, reuses: Int) {
        state.withLock { ($0.systemAllocations, $0.reuses) }
    }

    /// Returns every cached buffer to the system.
    public func trim() {
        let buffers = state.withLock { state -> [UnsafeMutableRawPointer] in
            let all = state.free.flatMap { $0 }
            state.free = Array(repeating: [], count: Self.classCount)
            return all
        }
        for buffer in buffers { free(buffer) }
    }
}
