/// The MT19937 generator, seeded and drawn exactly as NumPy's legacy `np.random.RandomState(seed)`
/// and Python's `random.seed(seed)` do, so Keel's readers put files and windows in the order
/// Keras's utilities do for the same seed (Keras shuffles file lists with these generators before
/// any TensorFlow code runs).
public struct MersenneTwister {
    private static let stateLength = 624
    private static let shiftSize = 397
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// `np.random.RandomState(seed)` (and MT19937's reference `init_genrand`).
    public init(numpySeed seed: UInt32) {
        seedLinear(seed)
    }

    /// `random.seed(seed)` of Python's `random` module for an integer seed: `init_by_array` over
    /// the 32-bit words of |seed|, least significant first.
    public init(pythonSeed seed: UInt64) {
        var words: [UInt32] = []
        var rest = seed
        repeat {
            words.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        } while rest != 0
        seedLinear(19_650_218)
        let n = Self.stateLength
        var i = 1, j = 0
        for _ in 0..<max(n, words.count) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_664_525)) &+ words[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
            if j >= words.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n { key[0] = key[n - 1]; i = 1 }
        }
        key[0] = 0x8000_0000
    }

    private mutating func seedLinear(_ seed: UInt32) {
        key[0] = seed
        for index in 1..<Self.stateLength {
            let previous = key[index - 1]
            key[index] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(index)
        }
        position = Self.stateLength
    }

    private mutating func regenerate() {
        let n = Self.stateLength, m = Self.shiftSize
        for index in 0..<n {
            let bits = (key[index] & 0x8000_0000) | (key[(index + 1) % n] & 0x7FFF_FFFF)
            key[index] = key[(index + m) % n] ^ (bits >> 1) ^ (bits & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        position = 0
    }

    /// The next 32 random bits (MT19937's tempered output).
    public mutating func nextUInt32() -> UInt32 {
        if position >= Self.stateLength { regenerate() }
        var value = key[position]
        position += 1
        value ^= value >> 11
        value ^= (value << 7) & 0x9D2C_5680
        value ^= (value << 15) & 0xEFC6_0000
        value ^= value >> 18
        return value
    }

    /// NumPy's legacy `random_interval(max)`: a value in 0...max by masked rejection.
    mutating func numpyInterval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= max { return value }
        }
    }

    /// `RandomState.shuffle(x)` for a list or 1-D array: Fisher–Yates from the end.
    public mutating func numpyShuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, through: 1, by: -1) {
            values.swapAt(index, Int(numpyInterval(UInt32(index))))
        }
    }

    /// Python's `random.getrandbits(k)` for 1 ≤ k ≤ 32.
    mutating func pythonRandomBits(_ count: Int) -> UInt32 {
        nextUInt32() >> UInt32(32 - count)
    }

    /// Python's `random.shuffle(x)` (rejection sampling with `getrandbits`, Python ≥ 3.2).
    public mutating func pythonShuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, through: 1, by: -1) {
            let bound = UInt32(index + 1)
            let bits = UInt32.bitWidth - bound.leadingZeroBitCount
            var draw = pythonRandomBits(bits)
            while draw >= bound { draw = pythonRandomBits(bits) }
            values.swapAt(index, Int(draw))
        }
    }
}
