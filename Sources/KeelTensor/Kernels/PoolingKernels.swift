internal import CKernels

/// Max and average pooling over NHWC windows. Padded positions never take part: a max
/// ignores them and an average divides by the number of real pixels (TensorFlow's SAME rule).
enum PoolingKernels {
    /// For each output pixel and channel: the flat input index of the window's maximum (the first
    /// one on ties), so the backward pass can route gradients without searching again. In C
    /// (CKernels), where the per-channel select over a window vectorises.
    static func maxPool(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>,
                        argmax: UnsafeMutablePointer<Int32>) {
        var window = keel_pool_geometry(height: g.height, width: g.width, channels: g.inChannels,
                                        out_height: g.outHeight, out_width: g.outWidth, pool_height: g.kernelHeight,
                                        pool_width: g.kernelWidth, stride_y: g.strideY, stride_x: g.strideX,
                                        pad_top: g.padTop, pad_left: g.padLeft)
        Parallel.forRanges(g.outPixels, threshold: 512) { pixels in
            keel_max_pool(&window, x, pixels.lowerBound, pixels.upperBound, y, argmax)
        }
    }

    static func averagePool(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>) {
        let c = g.inChannels
        Parallel.forRanges(g.outPixels, threshold: 512) { pixels in
            for pixel in pixels {
                let (image, y0, y1, x0, x1) = window(pixel, g)
                let out = y + pixel &* c
                for ch in 0..<c { out[ch] = 0 }
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let base = ((image &* g.height &+ iy) &* g.width &+ ix) &* c
                        for ch in 0..<c { out[ch] += x[base &+ ch] }
                    }
                }
                let scale = 1 / Float(Swift.max((y1 - y0) * (x1 - x0), 1))
                for ch in 0..<c { out[ch] *= scale }
            }
        }
    }

    /// Spreads each output gradient evenly over the real pixels of its window.
    static func averagePoolBackward(_ dy: UnsafePointer<Float>, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
        let c = g.inChannels
        dx.update(repeating: 0, count: g.batch &* g.height &* g.width &* c)
        for pixel in 0..<g.outPixels {
            let (image, y0, y1, x0, x1) = window(pixel, g)
            let scale = 1 / Float(Swift.max((y1 - y0) * (x1 - x0), 1))
            let upstream = dy + pixel &* c
            for iy in y0..<y1 {
                for ix in x0..<x1 {
                    let base = dx + ((image &* g.height &+ iy) &* g.width &+ ix) &* c
                    for ch in 0..<c { base[ch] += upstream[ch] * scale }
                }
            }
        }
    }

    /// The image index and the window's clipped row and column ranges for an output pixel.
    @inline(__always)
    static func window(_ pixel: Int, _ g: ConvGeometry) -> (Int, Int, Int, Int, Int) {
        let image = pixel / (g.outHeight &* g.outWidth)
        let rest = pixel % (g.outHeight &* g.outWidth)
        let oy = rest / g.outWidth, ox = rest % g.outWidth
        let top = oy &* g.strideY &- g.padTop, left = ox &* g.strideX &- g.padLeft
        return (image, Swift.max(top, 0), Swift.min(top &+ g.kernelHeight, g.height),
                Swift.max(left, 0), Swift.min(left &+ g.kernelWidth, g.width))
    }
}
