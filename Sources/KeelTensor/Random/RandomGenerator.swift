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

    /// Hands out `count` 32-bit random words (word i = lane i%4 of block counter+i/4) and advances
    /// the counter by whole blocks. Blocks are independent of each other (counter-based), so large
    /// requests are generated on all cores with the same result.
    @inline(__always)
    private func words(_ count: Int, parallel: Bool = true, _ body: (Int, UInt32) -> Void) {
        let blocks = (count &+ 3) / 4
        let key = state.seed, first = state.counter
        withoutActuallyEscaping(body) { body in
            Parallel.forRanges(blocks, threshold: parallel ? 1 << 14 : Int.max) { range in
                for b in range {
                    let block = Philox4x32.block(key: key, counter: first &+ UInt64(b))
                    let start = b &* 4
                    if start &+ 4 <= count {
                        body(start, block[0]); body(start &+ 1, block[1]); body(start &+ 2, block[2]); body(start &+ 3, block[3])
                    } else {
                        for lane in 0..<(count &- start) { body(start &+ lane, block[lane]) }
                    }
                }
            }
        }
        state.counter &+= UInt64(blocks)
    }

    /// A float in [0, 1) from the top 24 bits of a word.
    @inline(__always)
    static func unit(_ word: UInt32) -> Float { Float(word >> 8) * 0x1p-24 }

    public func uniform(_ shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        let width = high - low
        words(out.count) { i, w in o[i] = low + RandomGenerator.unit(w) * width }
        return out
    }

    /// Normal values by the Box–Muller transform (pairs of uniforms give pairs of normals).
    public func normal(_ shape: [Int], mean: Float = 0, stddev: Float = 1) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        let n = out.count
        var pending: Float = 0
        // Box–Muller pairs words across calls of the body: keep this one on one thread.
        words(n + (n & 1), parallel: false) { i, w in
            if i & 1 == 0 {
                pending = RandomGenerator.unit(w)
            } else {
                let radius = sqrtf(-2 * logf(1 - pending))  // 1 - u is in (0, 1]
                let angle = 2 * Float.pi * RandomGenerator.unit(w)
                if i - 1 < n { o[i - 1] = mean + stddev * radius * cosf(angle) }
                if i < n { o[i] = mean + stddev * radius * sinf(angle) }
            }
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

    /// 1 with probability `probability`, else 0.
    public func bernoulli(_ shape: [Int], probability: Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.storage.floats
        words(out.count) { i, w in o[i] = RandomGenerator.unit(w) < probability ? 1 : 0 }
        return out
    }

    /// A uniformly random integer in 0..<bound (unbiased, by rejection).
    public func integer(below bound: Int) -> Int {
        opCheck(bound > 0 && bound <= Int(UInt32.max), "RandomGenerator.integer: bound \(bound) out of range")
        let limit = UInt64(UInt32.max) + 1 - (UInt64(UInt32.max) + 1) % UInt64(bound)
        while true {
            var word: UInt32 = 0
            words(1) { _, w in word = w }
            if UInt64(word) < limit { return Int(UInt64(word) % UInt64(bound)) }
        }
    }

    /// A 64-bit seed for a sub-stream (one dataset iteration, say), from one block.
    public func nextSeed() -> UInt64 {
        var seed: UInt64 = 0
        words(2) { i, w in seed |= UInt64(w) << (i == 0 ? 32 : 0) }
        return seed
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
