import Foundation
import KeelTestSupport

/// SplitMix64: the whole campaign derives from one seed, so every input is reproducible from
/// (campaign seed, input index) alone, on any machine and in any order of execution.
struct FuzzRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// The generator of input `index` of the campaign seeded with `seed`.
    init(campaign seed: UInt64, input index: Int) {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        generator = SplitMix64(seed: mixer.next() ^ 0xD1B5_4A32_D192_ED03)
    }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index chosen with probability proportional to `weights`.
    mutating func weighted(_ weights: [Int]) -> Int {
        var ticket = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if ticket < weight { return index }
            ticket -= weight
        }
        return weights.count - 1
    }
}

/// Values that break size and offset arithmetic: zero, sign and width boundaries, all ones.
enum FuzzExtremes {
    static let unsigned: [UInt64] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
                                     1 << 62, 1 << 63, UInt64.max, UInt64.max - 1, 0xFFFF, 0x7FFF_FFFF_FFFF_FFFF]

    /// Decimal spellings for text formats (JSON, CSV, the .npy header), including ones no
    /// 64-bit integer holds.
    static let decimal: [String] = ["0", "-1", "1", "2147483648", "4294967295", "4611686018427387904",
                                    "9223372036854775807", "9223372036854775808", "18446744073709551615",
                                    "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
                                    "1e308", "-1e308", "1.7976931348623157e308", "1e999", "5e-324", "-0",
                                    "0.5", "1e-320", "3.4028235e38", "100000000000000000000000000000"]
}
