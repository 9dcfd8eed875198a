internal import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Splits index ranges over the machine's cores for kernels that are large enough to gain.
/// The threads are OpenMP's (libgomp), the same pool oneDNN's convolutions and OpenBLAS's OpenMP
/// build run on, so kernels hand the cores to each other instead of competing for them.
public enum Parallel {
    /// Number of worker chunks used for large kernels: OpenMP's thread count, which the launcher
    /// sets from KEEL_NUM_THREADS (default: one per core), e.g. to share the cores between ranks
    /// of a distributed job on one host.
    public static let coreCount: Int = {
        if let text = getenv("KEEL_NUM_THREADS").map({ String(cString: $0) }), let count = Int(text), count > 0 {
            return count
        }
        return max(1, Int(keel_parallel_thread_count()))
    }()

    /// Below this many elements, elementwise kernels run on the calling thread: dispatching
    /// costs more than it saves.
    public static let elementwiseThreshold = 1 << 17

    /// Calls `body` on disjoint subranges covering `0..<count`, in parallel when `count` is at
    /// least `threshold`.
    public static func forRanges(_ count: Int, threshold: Int = elementwiseThreshold,
                                 _ body: (Range<Int>) -> Void) {
        opCheck(count >= 0, "Parallel.forRanges: the count \(count) is negative")
        let chunks = count >= threshold ? min(coreCount, count) : 1
        if chunks <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = Job(count: count, chunks: chunks, body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                keel_parallel_for(chunks, pointer) { context, chunk in
                    let job = context!.assumingMemoryBound(to: Job.self).pointee
                    job.body((job.count &* chunk / job.chunks)..<(job.count &* (chunk &+ 1) / job.chunks))
                }
            }
        }
    }

    private struct Job {
        let count: Int
        let chunks: Int
        let body: (Range<Int>) -> Void
    }
}
