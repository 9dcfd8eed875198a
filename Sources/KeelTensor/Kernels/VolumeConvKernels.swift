/// 3-D convolution as im2col + GEMM, a few volumes at a time (as `ConvKernels` does for images):
/// the patch matrix has one row per output position and kd·kh·kw·c columns.
enum VolumeConvKernels {
    static func volumesPerChunk(_ g: VolumeConvGeometry) -> Int {
        let perVolume = Swift.max(1, g.outPositionsPerVolume &* g.patchSize)
        return Swift.max(1, Swift.min(g.batch, Im2colConvKernels.chunkElements / perVolume))
    }

    /// Fills `cols` with the patch rows of `volumes` (zeros where a tap falls in the padding).
    static func im2col(_ x: UnsafePointer<Float>, _ g: VolumeConvGeometry, volumes: Range<Int>,
                       into cols: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, patch = g.patchSize
        let first = volumes.lowerBound &* g.outPositionsPerVolume
        Parallel.forRanges(volumes.count &* g.outPositionsPerVolume, threshold: 2048) { rows in
            for localRow in rows {
                let row = cols + localRow &* patch
                row.update(repeating: 0, count: patch)
                g.forEachTap(first &+ localRow) { tap, input in
                    let source = x + input &* c, destination = row + tap &* c
                    for ch in 0..<c { destination[ch] = source[ch] }
                }
            }
        }
    }

    /// Adds the patch rows of `volumes` back into the input-shaped `dx`; volumes run in parallel,
    /// so no two threads add into one place.
    static func col2im(_ cols: UnsafePointer<Float>, _ g: VolumeConvGeometry, volumes: Range<Int>,
                       into dx: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, patch = g.patchSize, perVolume = g.outPositionsPerVolume
        Parallel.forRanges(volumes.count, threshold: 2) { localVolumes in
            for localVolume in localVolumes {
                for position in 0..<perVolume {
                    let localRow = localVolume &* perVolume &+ position
                    let row = cols + localRow &* patch
                    g.forEachTap((volumes.lowerBound &+ localVolume) &* perVolume &+ position) { tap, input in
                        let source = row + tap &* c, target = dx + input &* c
                        for ch in 0..<c { target[ch] += source[ch] }
                    }
                }
            }
        }
    }

    /// y = conv3d(x, kernel).
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: VolumeConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let perVolume = g.outPositionsPerVolume
        let step = volumesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, perVolume, g.patchSize], op: "conv3d (im2col columns)")
        for first in stride(from: 0, to: g.batch, by: step) {
            let volumes = first..<Swift.min(g.batch, first &+ step)
            im2col(x, g, volumes: volumes, into: cols.floats)
            BLAS.sgemm(transposeA: false, transposeB: false, m: volumes.count &* perVolume, n: g.outChannels,
                       k: g.patchSize, alpha: 1, a: cols.floats, lda: g.patchSize, b: kernel, ldb: g.outChannels,
                       beta: 0, c: y + first &* perVolume &* g.outChannels, ldc: g.outChannels)
        }
    }

    /// dx = the gradient of conv3d(x, kernel) with respect to x, given dy (also: the transposed
    /// convolution): dy·kernelᵀ into patch rows, scattered back with col2im.
    static func backpropInput(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: VolumeConvGeometry,
                              into dx: UnsafeMutablePointer<Float>) {
        let perVolume = g.outPositionsPerVolume
        dx.update(repeating: 0, count: g.batch &* g.positionsPerVolume &* g.inChannels)
        let step = volumesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, perVolume, g.patchSize], op: "conv3d (im2col columns)")
        for first in stride(from: 0, to: g.batch, by: step) {
            let volumes = first..<Swift.min(g.batch, first &+ step)
            BLAS.sgemm(transposeA: false, transposeB: true, m: volumes.count &* perVolume, n: g.patchSize,
                       k: g.outChannels, alpha: 1, a: dy + first &* perVolume &* g.outChannels, lda: g.outChannels,
                       b: kernel, ldb: g.outChannels, beta: 0, c: cols.floats, ldc: g.patchSize)
            col2im(cols.floats, g, volumes: volumes, into: dx)
        }
    }

    /// dKernel = the gradient of conv3d(x, kernel) with respect to the kernel, given dy:
    /// patchesᵀ·dy summed over the chunks.
    static func backpropKernel(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: VolumeConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let perVolume = g.outPositionsPerVolume
        let step = volumesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, perVolume, g.patchSize], op: "conv3d (im2col columns)")
        var beta: Float = 0
        for first in stride(from: 0, to: g.batch, by: step) {
            let volumes = first..<Swift.min(g.batch, first &+ step)
            im2col(x, g, volumes: volumes, into: cols.floats)
            BLAS.sgemm(transposeA: true, transposeB: false, m: g.patchSize, n: g.outChannels,
                       k: volumes.count &* perVolume, alpha: 1, a: cols.floats, lda: g.patchSize,
                       b: dy + first &* perVolume &* g.outChannels, ldb: g.outChannels,
                       beta: beta, c: dKernel, ldc: g.outChannels)
            beta = 1
        }
    }
}
