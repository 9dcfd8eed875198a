internal import CKernels

/// Convolutions of images with one to four channels (the first layer of an image model). Their
/// im2col matrix is only kh·kw·c columns wide, which BLAS multiplies poorly; computed directly,
/// each output pixel is a few vectorised multiply-adds over the filters.
enum FewChannelConvKernels {
    static func applies(_ g: ConvGeometry) -> Bool { g.inChannels <= 4 && g.outChannels >= 8 }

    /// y[pixel, :] = Σ over taps and channels of x[input pixel, c] · kernel[tap, c, :].
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, f = g.outChannels
        Parallel.forRanges(g.outPixels, threshold: 256) { pixels in
            for pixel in pixels {
                let out = y + pixel &* f
                for i in 0..<f { out[i] = 0 }
                forEachTap(pixel, g) { tap, input in
                    let row = x + input &* c
                    for ch in 0..<c { keel_axpy(row[ch], kernel + (tap &* c &+ ch) &* f, out, f) }
                }
            }
        }
    }

    /// dKernel[tap, c, :] = Σ over pixels of x[input pixel, c] · dy[pixel, :]; each core sums its
    /// share of the images into its own copy, added at the end.
    static func kernelGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, f = g.outChannels
        let size = g.kernelHeight &* g.kernelWidth &* c &* f
        let cores = Swift.max(1, Swift.min(Parallel.coreCount, g.batch))
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: cores &* size)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: cores &* size)
        let pixelsPerImage = g.outHeight &* g.outWidth
        Parallel.forRanges(cores, threshold: 2) { range in
            for core in range {
                let acc = partial + core &* size
                let images = (g.batch &* core / cores)..<(g.batch &* (core &+ 1) / cores)
                for pixel in (images.lowerBound &* pixelsPerImage)..<(images.upperBound &* pixelsPerImage) {
                    let gradient = dy + pixel &* f
                    forEachTap(pixel, g) { tap, input in
                        let row = x + input &* c
                        for ch in 0..<c { keel_axpy(row[ch], gradient, acc + (tap &* c &+ ch) &* f, f) }
                    }
                }
            }
        }
        for i in 0..<size {
            var total: Float = 0
            for core in 0..<cores { total += partial[core &* size &+ i] }
            dKernel[i] = total
        }
    }

    /// Calls `body(tap, input pixel index)` for every kernel tap of `pixel` that lands inside the image.
    @inline(__always)
    static func forEachTap(_ pixel: Int, _ g: ConvGeometry, _ body: (Int, Int) -> Void) {
        let image = pixel / (g.outHeight &* g.outWidth), rest = pixel % (g.outHeight &* g.outWidth)
        let oy = rest / g.outWidth, ox = rest % g.outWidth
        for ky in 0..<g.kernelHeight {
            let iy = oy &* g.strideY &- g.padTop &+ ky &* g.dilationY
            guard iy >= 0 && iy < g.height else { continue }
            for kx in 0..<g.kernelWidth {
                let ix = ox &* g.strideX &- g.padLeft &+ kx &* g.dilationX
                guard ix >= 0 && ix < g.width else { continue }
                body(ky &* g.kernelWidth &+ kx, (image &* g.height &+ iy) &* g.width &+ ix)
            }
        }
    }
}
