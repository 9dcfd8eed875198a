/// Max and average pooling over NDHWC windows. As in 2-D (`PoolingKernels`), padded positions
/// never take part: a max ignores them and an average divides by the number of real positions.
enum VolumePoolingKernels {
    /// For each output position and channel: the flat input index of the window's maximum (the
    /// first one on ties), so the backward pass routes gradients without searching again.
    static func maxPool(_ x: UnsafePointer<Float>, _ g: VolumeConvGeometry, into y: UnsafeMutablePointer<Float>,
                        argmax: UnsafeMutablePointer<Int32>) {
        let c = g.inChannels
        Parallel.forRanges(g.outPositions, threshold: 512) { positions in
            for position in positions {
                let out = y + position &* c, best = argmax + position &* c
                for ch in 0..<c { out[ch] = -.infinity; best[ch] = -1 }
                g.forEachTap(position) { _, input in
                    let base = input &* c
                    for ch in 0..<c where x[base &+ ch] > out[ch] || best[ch] < 0 {
                        out[ch] = x[base &+ ch]
                        best[ch] = Int32(truncatingIfNeeded: base &+ ch)
                    }
                }
            }
        }
    }

    static func averagePool(_ x: UnsafePointer<Float>, _ g: VolumeConvGeometry, into y: UnsafeMutablePointer<Float>) {
        let c = g.inChannels
        Parallel.forRanges(g.outPositions, threshold: 512) { positions in
            for position in positions {
                let out = y + position &* c
                for ch in 0..<c { out[ch] = 0 }
                var covered = 0
                g.forEachTap(position) { _, input in
                    let source = x + input &* c
                    for ch in 0..<c { out[ch] += source[ch] }
                    covered &+= 1
                }
                let scale = 1 / Float(Swift.max(covered, 1))
                for ch in 0..<c { out[ch] *= scale }
            }
        }
    }

    /// Spreads each output gradient evenly over the real positions of its window; volumes run in
    /// parallel, so no two threads add into one place.
    static func averagePoolBackward(_ dy: UnsafePointer<Float>, _ g: VolumeConvGeometry, into dx: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, perVolume = g.outPositionsPerVolume
        dx.update(repeating: 0, count: g.batch &* g.positionsPerVolume &* c)
        Parallel.forRanges(g.batch, threshold: 2) { volumes in
            for position in (volumes.lowerBound &* perVolume)..<(volumes.upperBound &* perVolume) {
                var covered = 0
                g.forEachTap(position) { _, _ in covered &+= 1 }
                let scale = 1 / Float(Swift.max(covered, 1))
                let upstream = dy + position &* c
                g.forEachTap(position) { _, input in
                    let target = dx + input &* c
                    for ch in 0..<c { target[ch] += upstream[ch] * scale }
                }
            }
        }
    }
}
