internal import CKernels

/// Convolutions with one output channel (a generator's final Conv2D to a gray image). Through
/// im2col they would copy kh·kw·c values per pixel to feed a matrix–vector product — a 7×7×128
/// kernel on 64 images of 28×28 moves 1.2 GB — so these read the input in place instead, with
/// vectorised dot products over the channels (CKernels).
enum SingleFilterConvKernels {
    static func applies(_ g: ConvGeometry) -> Bool { g.outChannels == 1 && g.inChannels >= 16 }

    /// y[pixel] = Σ over kernel taps of dot(x[input pixel, :], kernel[tap, :, 0]).
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let c = g.inChannels
        Parallel.forRanges(g.outPixels, threshold: 256) { pixels in
            for pixel in pixels {
                let image = pixel / (g.outHeight &* g.outWidth), rest = pixel % (g.outHeight &* g.outWidth)
                let oy = rest / g.outWidth, ox = rest % g.outWidth
                var total: Float = 0
                for ky in 0..<g.kernelHeight {
                    let iy = oy &* g.strideY &- g.padTop &+ ky &* g.dilationY
                    guard iy >= 0 && iy < g.height else { continue }
                    for kx in 0..<g.kernelWidth {
                        let ix = ox &* g.strideX &- g.padLeft &+ kx &* g.dilationX
                        guard ix >= 0 && ix < g.width else { continue }
                        let row = x + ((image &* g.height &+ iy) &* g.width &+ ix) &* c
                        total += dot(row, kernel + (ky &* g.kernelWidth &+ kx) &* c, count: c)
                    }
                }
                y[pixel] = total
            }
        }
    }

    /// dKernel[tap, :, 0] = Σ over pixels of dy[pixel] · x[input pixel, :]; each tap is summed by one thread.
    static func kernelGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let c = g.inChannels
        Parallel.forRanges(g.kernelHeight &* g.kernelWidth, threshold: 2) { taps in
            for tap in taps {
                let ky = tap / g.kernelWidth, kx = tap % g.kernelWidth
                let gradient = dKernel + tap &* c
                for ch in 0..<c { gradient[ch] = 0 }
                for pixel in 0..<g.outPixels {
                    let image = pixel / (g.outHeight &* g.outWidth), rest = pixel % (g.outHeight &* g.outWidth)
                    let iy = (rest / g.outWidth) &* g.strideY &- g.padTop &+ ky &* g.dilationY
                    let ix = (rest % g.outWidth) &* g.strideX &- g.padLeft &+ kx &* g.dilationX
                    guard iy >= 0 && iy < g.height && ix >= 0 && ix < g.width else { continue }
                    axpy(dy[pixel], x + ((image &* g.height &+ iy) &* g.width &+ ix) &* c, into: gradient, count: c)
                }
            }
        }
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        keel_dot(a, b, count)
    }

    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        keel_axpy(alpha, x, y, count)
    }
}
