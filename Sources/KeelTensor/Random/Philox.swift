/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a counter-based
/// generator. Block i of the stream for key k is philox(k, i), so the whole generator state is
/// two integers, which makes saving and resuming a run exact.
struct Philox4x32 {
    static let multiplier0: UInt32 = 0xD251_1F53
    static let multiplier1: UInt32 = 0xCD9E_8D57
    static let weyl0: UInt32 = 0x9E37_79B9
    static let weyl1: UInt32 = 0xBB67_AE85

    @inline(__always)
    static func block(key: UInt64, counter: UInt64) -> SIMD4<UInt32> {
        var c = SIMD4<UInt32>(UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), 0, 0)
        var k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            let p0 = UInt64(multiplier0) &* UInt64(c[0])
            let p1 = UInt64(multiplier1) &* UInt64(c[2])
            c = SIMD4(UInt32(truncatingIfNeeded: p1 >> 32) ^ c[1] ^ k0, UInt32(truncatingIfNeeded: p1),
                      UInt32(truncatingIfNeeded: p0 >> 32) ^ c[3] ^ k1, UInt32(truncatingIfNeeded: p0))
            k0 &+= weyl0
            k1 &+= weyl1
        }
        return c
    }
}
