/// Convolution as im2col + GEMM, for geometries oneDNN refuses (see ConvKernels). Work is done a
/// few images at a time, so the patch matrix stays small (it fits in cache for the seed's shapes)
/// and images never overlap within a parallel col2im.
enum Im2colConvKernels {
    /// About this many patch-matrix elements per chunk.
    static let chunkElements = 1 << 22

    static func imagesPerChunk(_ g: ConvGeometry) -> Int {
        let perImage = Swift.max(1, g.outHeight &* g.outWidth &* g.patchSize)
        return Swift.max(1, Swift.min(g.batch, chunkElements / perImage))
    }

    /// Fills `cols` (rows = output pixels of images first..<first+count, columns = kh, kw, c).
    static func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, images: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let rowsPerImage = g.outHeight &* g.outWidth
        let c = g.inChannels
        Parallel.forRanges(images.count &* rowsPerImage, threshold: 2048) { rows in
            for localRow in rows {
                let image = images.lowerBound &+ localRow / rowsPerImage
                let pixel = localRow % rowsPerImage
                let oy = pixel / g.outWidth, ox = pixel % g.outWidth
                var destination = cols + localRow &* g.patchSize
                let imageBase = x + image &* g.height &* g.width &* c
                for ky in 0..<g.kernelHeight {
                    let iy = oy &* g.strideY &- g.padTop &+ ky &* g.dilationY
                    for kx in 0..<g.kernelWidth {
                        let ix = ox &* g.strideX &- g.padLeft &+ kx &* g.dilationX
                        if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                            let source = imageBase + (iy &* g.width &+ ix) &* c
                            // A few channels are cheaper to copy inline than through memmove.
                            if c < 16 {
                                for ch in 0..<c { destination[ch] = source[ch] }
                            } else {
                                destination.update(from: source, count: c)
                            }
                        } else {
                            for ch in 0..<c { destination[ch] = 0 }
                        }
                        destination += c
                    }
                }
            }
        }
    }

    /// Adds the patch-matrix rows of `images` back into the input-shaped `dx`.
    static func col2im(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, images: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
        let rowsPerImage = g.outHeight &* g.outWidth
        let c = g.inChannels
        Parallel.forRanges(images.count, threshold: 2) { localImages in
            for localImage in localImages {
                let image = images.lowerBound &+ localImage
                let imageBase = dx + image &* g.height &* g.width &* c
                for pixel in 0..<rowsPerImage {
                    let oy = pixel / g.outWidth, ox = pixel % g.outWidth
                    var source = cols + (localImage &* rowsPerImage &+ pixel) &* g.patchSize
                    for ky in 0..<g.kernelHeight {
                        let iy = oy &* g.strideY &- g.padTop &+ ky &* g.dilationY
                        for kx in 0..<g.kernelWidth {
                            let ix = ox &* g.strideX &- g.padLeft &+ kx &* g.dilationX
                            if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                                let target = imageBase + (iy &* g.width &+ ix) &* c
                                for ch in 0..<c { target[ch] += source[ch] }
                            }
                            source += c
                        }
                    }
                }
            }
        }
    }

    /// y = conv(x, kernel).
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let rowsPerImage = g.outHeight &* g.outWidth
        if FewChannelConvKernels.applies(g) {
            FewChannelConvKernels.forward(x, kernel, g, into: y)
            return
        }
        if g.isPointwise {
            BLAS.sgemm(transposeA: false, transposeB: false, m: g.outPixels, n: g.outChannels, k: g.inChannels,
                       alpha: 1, a: x, lda: g.inChannels, b: kernel, ldb: g.outChannels, beta: 0, c: y, ldc: g.outChannels)
            return
        }
        let step = imagesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, rowsPerImage, g.patchSize], op: "conv2d (im2col columns)")
        for first in stride(from: 0, to: g.batch, by: step) {
            let images = first..<Swift.min(g.batch, first &+ step)
            im2col(x, g, images: images, into: cols.floats)
            BLAS.sgemm(transposeA: false, transposeB: false, m: images.count &* rowsPerImage, n: g.outChannels,
                       k: g.patchSize, alpha: 1, a: cols.floats, lda: g.patchSize, b: kernel, ldb: g.outChannels,
                       beta: 0, c: y + first &* rowsPerImage &* g.outChannels, ldc: g.outChannels)
        }
    }

    /// dx = the gradient of conv(x, kernel) with respect to x, given dy (also: transposed convolution).
    static func backpropInput(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                              into dx: UnsafeMutablePointer<Float>) {
        let rowsPerImage = g.outHeight &* g.outWidth
        if g.strideY == 1 && g.strideX == 1 && !g.isPointwise {
            // With stride 1 the input gradient is itself a convolution of dy with the kernel
            // flipped in space and transposed in channels: an im2col copy and one GEMM instead of
            // a GEMM into kh·kw·c columns per pixel and a scatter-add of all of them (col2im).
            let flipped = flippedKernel(kernel, g)
            let h = ConvGeometry(batch: g.batch, height: g.outHeight, width: g.outWidth, inChannels: g.outChannels,
                                 kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, outChannels: g.inChannels,
                                 strideY: 1, strideX: 1, dilationY: g.dilationY, dilationX: g.dilationX,
                                 padTop: g.dilationY &* (g.kernelHeight &- 1) &- g.padTop,
                                 padLeft: g.dilationX &* (g.kernelWidth &- 1) &- g.padLeft,
                                 outHeight: g.height, outWidth: g.width)
            forward(dy, flipped.floats, h, into: dx)
            return
        }
        if g.isPointwise {
            BLAS.sgemm(transposeA: false, transposeB: true, m: g.outPixels, n: g.inChannels, k: g.outChannels,
                       alpha: 1, a: dy, lda: g.outChannels, b: kernel, ldb: g.outChannels, beta: 0, c: dx, ldc: g.inChannels)
            return
        }
        dx.update(repeating: 0, count: g.batch &* g.height &* g.width &* g.inChannels)
        let step = imagesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, rowsPerImage, g.patchSize], op: "conv2d (im2col columns)")
        for first in stride(from: 0, to: g.batch, by: step) {
            let images = first..<Swift.min(g.batch, first &+ step)
            BLAS.sgemm(transposeA: false, transposeB: true, m: images.count &* rowsPerImage, n: g.patchSize,
                       k: g.outChannels, alpha: 1, a: dy + first &* rowsPerImage &* g.outChannels, lda: g.outChannels,
                       b: kernel, ldb: g.outChannels, beta: 0, c: cols.floats, ldc: g.patchSize)
            col2im(cols.floats, g, images: images, into: dx)
        }
    }

    /// K'[kh', kw', f, c] = K[KH−1−kh', KW−1−kw', c, f].
    static func flippedKernel(_ kernel: UnsafePointer<Float>, _ g: ConvGeometry) -> TensorStorage {
        let (kh, kw, c, f) = (g.kernelHeight, g.kernelWidth, g.inChannels, g.outChannels)
        let out = TensorStorage.scratchFloats([kh, kw, f, c], op: "conv2d (flipped kernel)")
        let o = out.floats
        for y in 0..<kh {
            for x in 0..<kw {
                let source = kernel + (((kh &- 1 &- y) &* kw &+ (kw &- 1 &- x)) &* c) &* f
                let target = o + ((y &* kw &+ x) &* f) &* c
                for ci in 0..<c {
                    for fi in 0..<f { target[fi &* c &+ ci] = source[ci &* f &+ fi] }
                }
            }
        }
        return out
    }

    /// dKernel = the gradient of conv(x, kernel) with respect to the kernel, given dy.
    static func backpropKernel(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let rowsPerImage = g.outHeight &* g.outWidth
        if FewChannelConvKernels.applies(g) {
            FewChannelConvKernels.kernelGradient(x, dy, g, into: dKernel)
            return
        }
        if g.isPointwise {
            BLAS.sgemm(transposeA: true, transposeB: false, m: g.inChannels, n: g.outChannels, k: g.outPixels,
                       alpha: 1, a: x, lda: g.inChannels, b: dy, ldb: g.outChannels, beta: 0, c: dKernel, ldc: g.outChannels)
            return
        }
        let step = imagesPerChunk(g)
        let cols = TensorStorage.scratchFloats([step, rowsPerImage, g.patchSize], op: "conv2d (im2col columns)")
        var beta: Float = 0
        for first in stride(from: 0, to: g.batch, by: step) {
            let images = first..<Swift.min(g.batch, first &+ step)
            im2col(x, g, images: images, into: cols.floats)
            BLAS.sgemm(transposeA: true, transposeB: false, m: g.patchSize, n: g.outChannels,
                       k: images.count &* rowsPerImage, alpha: 1, a: cols.floats, lda: g.patchSize,
                       b: dy + first &* rowsPerImage &* g.outChannels, ldb: g.outChannels,
                       beta: beta, c: dKernel, ldc: g.outChannels)
            beta = 1
        }
        if g.batch == 0 { dKernel.update(repeating: 0, count: g.patchSize &* g.outChannels) }
    }
}
