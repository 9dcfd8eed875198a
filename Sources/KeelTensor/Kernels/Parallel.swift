import Dispatch

/// Splits index ranges over the machine's cores for kernels that are large enough to gain.
public enum Parallel {
    /// Number of worker chunks used for large kernels: one per core, or KEEL_NUM_THREADS (like
    /// OPENBLAS_NUM_THREADS for BLAS) when several processes share the cores, e.g. ranks of a
    /// distributed job on one host.
    public static let coreCount: Int = {
        if let text = getenv("KEEL_NUM_THREADS").map({ String(cString: $0) }), let count = Int(text), count > 0 {
            return count
        }
        return max(1, Int(sysconfCores()))
    }()

    /// Below this many elements, elementwise kernels run on the calling thread: dispatching
    /// costs more than it saves.
    public static let elementwiseThreshold = 1 << 17

    /// Calls `body` on disjoint subranges covering `0..<count`, in parallel when `count` is at
    /// least `threshold`.
    @inlinable
    public static func forRanges(_ count: Int, threshold: Int = elementwiseThreshold,
                                 _ body: (Range<Int>) -> Void) {
        opCheck(count >= 0, "Parallel.forRanges: the count \(count) is negative")
        let chunks = count >= threshold ? min(coreCount, count) : 1
        if chunks <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                body(start..<end)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }
#else
private func sysconfCores() -> Int { 1 }
#endif
