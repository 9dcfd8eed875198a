/// Convolutions with one output channel (a generator's final Conv2D to a gray image), which both
/// im2col (kh·kw·c copies per pixel for a matrix–vector product) and oneDNN (~15 GFLOP/s) run
/// poorly. Here the work is one GEMM between every input pixel and every tap's filter, at BLAS
/// speed, plus a cheap sum (or scatter) of one value per pixel and tap:
/// - forward: Z[q, tap] = x[q, :] · kernel[tap, :] for every input pixel q, then y[p] = Σ over the
///   taps of p of Z[input pixel of (p, tap), tap];
/// - kernel gradient: G[q, tap] = dy[p] where tap of output p lands on input q (0 where none does),
///   then dKernel = Gᵀ · x.
/// A 7×7×128 → 1 layer over 64 images of 28×28 (W3): forward 14 → ~5 ms, kernel gradient 9 → ~5 ms.
enum SingleFilterConvKernels {
    static func applies(_ g: ConvGeometry) -> Bool { g.outChannels == 1 && g.inChannels >= 16 }

    /// Images per GEMM: the per-pixel-and-tap matrix of a chunk holds about `chunkElements` values.
    private static func imagesPerChunk(_ g: ConvGeometry) -> Int {
        let perImage = Swift.max(1, g.height &* g.width &* g.kernelHeight &* g.kernelWidth)
        return Swift.max(1, Swift.min(g.batch, Im2colConvKernels.chunkElements / perImage))
    }

    /// y[pixel] = Σ over kernel taps of dot(x[input pixel, :], kernel[tap, :, 0]).
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let taps = g.kernelHeight &* g.kernelWidth, c = g.inChannels
        let inputPixels = g.height &* g.width, outputPixels = g.outHeight &* g.outWidth
        let step = imagesPerChunk(g)
        let scores = TensorStorage.scratchFloats([step, inputPixels, taps], op: "conv2d (one filter: pixel × tap products)")
        let z = scores.floats
        for first in stride(from: 0, to: g.batch, by: step) {
            let count = Swift.min(step, g.batch &- first)
            BLAS.sgemm(transposeA: false, transposeB: true, m: count &* inputPixels, n: taps, k: c, alpha: 1,
                       a: x + first &* inputPixels &* c, lda: c, b: kernel, ldb: c, beta: 0, c: z, ldc: taps)
            Parallel.forRanges(count &* outputPixels, threshold: 1024) { pixels in
                for pixel in pixels {
                    // Pixels and input indices count from the chunk's first image.
                    var total: Float = 0
                    FewChannelConvKernels.forEachTap(pixel, g) { tap, input in total += z[input &* taps &+ tap] }
                    y[first &* outputPixels &+ pixel] = total
                }
            }
        }
    }

    /// dKernel[tap, :, 0] = Σ over pixels of dy[pixel] · x[input pixel of (pixel, tap), :].
    static func kernelGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let taps = g.kernelHeight &* g.kernelWidth, c = g.inChannels
        let inputPixels = g.height &* g.width, outputPixels = g.outHeight &* g.outWidth
        let step = imagesPerChunk(g)
        let spread = TensorStorage.scratchFloats([step, inputPixels, taps], op: "conv2d (one filter: gradient per pixel and tap)")
        let gradients = spread.floats
        for first in stride(from: 0, to: g.batch, by: step) {
            let count = Swift.min(step, g.batch &- first)
            // Each (input pixel, tap) receives at most one output pixel's gradient; the rest stay 0.
            Parallel.forRanges(count, threshold: 2) { images in
                for image in images {
                    (gradients + image &* inputPixels &* taps).update(repeating: 0, count: inputPixels &* taps)
                    // Pixels and input indices count from the chunk's first image.
                    for pixel in (image &* outputPixels)..<((image &+ 1) &* outputPixels) {
                        let value = dy[first &* outputPixels &+ pixel]
                        FewChannelConvKernels.forEachTap(pixel, g) { tap, input in gradients[input &* taps &+ tap] = value }
                    }
                }
            }
            BLAS.sgemm(transposeA: true, transposeB: false, m: taps, n: c, k: count &* inputPixels, alpha: 1,
                       a: gradients, lda: taps, b: x + first &* inputPixels &* c, ldb: c,
                       beta: first == 0 ? 0 : 1, c: dKernel, ldc: c)
        }
    }
}
