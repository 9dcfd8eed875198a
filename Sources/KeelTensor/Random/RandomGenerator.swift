internal import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// The complete state of a `RandomGenerator`: save it with a checkpoint, restore it to continue
/// the exact same stream.
public struct RandomState: Codable, Equatable, Sendable {
    public var seed: UInt64
    public var counter: UInt64

    public init(seed: UInt64, counter: UInt64 = 0) {
        self.seed = seed
        self.counter = counter
    }
}

/// Seeded, counter-based random numbers (Philox4x32-10) for initializers, dropout and shuffling.
/// Each call consumes whole 128-bit blocks, so results depend only on the seed and the sequence
/// of calls.
public final class RandomGenerator {
    public var state: RandomState

    public init(seed: UInt64) { state = RandomState(seed: seed) }
    public init(state: RandomState) { self.state = state }

    /// Runs `fill(block, first, count)` over words 0..<total of the next request, in parallel for
    /// large requests (blocks are independent of each other, so the result does not depend on the
    /// split), then advances the counter by whole blocks.
    private func request(_ total: Int, _ fill: (_ block: UInt64, _ first: Int, _ count: Int) -> Void) {
        let blocks = (total &+ 3) / 4
        let first = state.counter
        Parallel.forRanges(blocks, threshold: 1 << 14) { range in
            let start = range.lowerBound &* 4
            fill(first &+ UInt64(range.lowerBound), start, Swift.min(range.upperBound &* 4, total) &- start)
        }
        state.counter &+= UInt64(blocks)
    }

    /// The next `count` 32-bit words: word i is lane i%4 of block counter + i/4 (Philox4x32-10).
    func words(_ count: Int) -> [UInt32] {
        let key = state.seed
        return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress
            request(count) { block, first, n in keel_philox_words(key, block, n, base.map { $0 + first }) }
            initialized = count
        }
    }

    /// The first word of the next block (the rest of the block is not used).
    private func word() -> UInt32 {
        var word: UInt32 = 0
        keel_philox_words(state.seed, state.counter, 1, &word)
        state.counter &+= 1
        return word
    }

    /// A float in [0, 1) from the top 24 bits of a word.
    @inline(__always)
    static func unit(_ word: UInt32) -> Float { Float(word >> 8) * 0x1p-24 }

    public func uniform(_ shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        let key = state.seed
        request(out.count) { block, first, n in keel_philox_uniform(key, block, n, low, high - low, o + first) }
        return out
    }

    /// Normal values by the Box–Muller transform (pairs of uniforms give pairs of normals).
    public func normal(_ shape: [Int], mean: Float = 0, stddev: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        let n = out.count
        let w = words(n + (n & 1))
        for i in stride(from: 0, to: n, by: 2) {
            let radius = sqrtf(-2 * logf(1 - RandomGenerator.unit(w[i])))  // 1 - u is in (0, 1]
            let angle = 2 * Float.pi * RandomGenerator.unit(w[i + 1])
            o[i] = mean + stddev * radius * cosf(angle)
            if i + 1 < n { o[i + 1] = mean + stddev * radius * sinf(angle) }
        }
        return out
    }

    /// Normal values redrawn until they lie within two standard deviations (Keras's truncated normal).
    public func truncatedNormal(_ shape: [Int], mean: Float = 0, stddev: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        var filled = 0
        while filled < out.count {
            let batch = normal([Swift.max(out.count - filled, 16) * 2])
            batch.withUnsafeFloats { values in
                for v in values where Swift.abs(v) <= 2 && filled < out.count {
                    o[filled] = mean + stddev * v
                    filled += 1
                }
            }
        }
        return out
    }

    /// `value` (default 1) with probability `probability`, else 0: a dropout mask comes out already
    /// scaled by 1/keep.
    public func bernoulli(_ shape: [Int], probability: Float, value: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        let key = state.seed
        request(out.count) { block, first, n in keel_philox_bernoulli(key, block, n, probability, value, o + first) }
        return out
    }

    /// A uniformly random integer in 0..<bound (unbiased, by rejection).
    public func integer(below bound: Int) -> Int {
        opCheck(bound > 0 && bound <= Int(UInt32.max), "RandomGenerator.integer: bound \(bound) out of range")
        let limit = UInt64(UInt32.max) + 1 - (UInt64(UInt32.max) + 1) % UInt64(bound)
        while true {
            let w = word()
            if UInt64(w) < limit { return Int(UInt64(w) % UInt64(bound)) }
        }
    }

    /// A 64-bit seed for a sub-stream (one dataset iteration, say), from one block.
    public func nextSeed() -> UInt64 {
        let w = words(2)
        return UInt64(w[0]) << 32 | UInt64(w[1])
    }

    /// A random ordering of 0..<count (Fisher–Yates).
    public func permutation(_ count: Int) -> [Int] {
        opCheck(count >= 0, "RandomGenerator.permutation: count \(count) is negative")
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            order.swapAt(i, integer(below: i + 1))
            i -= 1
        }
        return order
    }
}
