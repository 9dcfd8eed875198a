/// Depthwise 2-D convolution, computed directly: each input channel c is convolved with its own
/// `multiplier` filters, giving output channels c·multiplier ..< (c+1)·multiplier. With the
/// kernel laid out (kh, kw, c, multiplier) a tap's weights line up with the output channels, so
/// every tap is one contiguous multiply-add over all of them. A patch matrix would be mostly
/// zeros here (each output channel reads one input channel), which is why there is no GEMM.
///
/// The geometry is `ConvGeometry` with `outChannels` = in channels · multiplier.
enum DepthwiseConvKernels {
    /// y[pixel, c·m + j] = Σ over taps of x[input pixel, c] · kernel[tap, c, j].
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, outC = g.outChannels, m = outC / c
        Parallel.forRanges(g.outPixels, threshold: 256) { pixels in
            for pixel in pixels {
                let out = y + pixel &* outC
                for o in 0..<outC { out[o] = 0 }
                FewChannelConvKernels.forEachTap(pixel, g) { tap, input in
                    let source = x + input &* c, weights = kernel + tap &* outC
                    if m == 1 {  // the common case, as one vectorisable loop over the channels
                        for ch in 0..<c { out[ch] += source[ch] * weights[ch] }
                        return
                    }
                    for ch in 0..<c {
                        let value = source[ch], base = ch &* m
                        for j in 0..<m { out[base &+ j] += value * weights[base &+ j] }
                    }
                }
            }
        }
    }

    /// dx[input pixel, c] = Σ over the output pixels and taps that read it of
    /// Σⱼ dy[pixel, c·m + j] · kernel[tap, c, j] (also: the transposed depthwise convolution).
    /// Images run in parallel, so no two threads add into one place.
    static func backpropInput(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                              into dx: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, outC = g.outChannels, m = outC / c
        let pixelsPerImage = g.outHeight &* g.outWidth
        dx.update(repeating: 0, count: g.batch &* g.height &* g.width &* c)
        Parallel.forRanges(g.batch, threshold: 2) { images in
            for pixel in (images.lowerBound &* pixelsPerImage)..<(images.upperBound &* pixelsPerImage) {
                let upstream = dy + pixel &* outC
                FewChannelConvKernels.forEachTap(pixel, g) { tap, input in
                    let target = dx + input &* c, weights = kernel + tap &* outC
                    if m == 1 {
                        for ch in 0..<c { target[ch] += upstream[ch] * weights[ch] }
                        return
                    }
                    for ch in 0..<c {
                        let base = ch &* m
                        var total: Float = 0
                        for j in 0..<m { total += upstream[base &+ j] * weights[base &+ j] }
                        target[ch] += total
                    }
                }
            }
        }
    }

    /// dKernel[tap, c, j] = Σ over output pixels of x[input pixel, c] · dy[pixel, c·m + j]; each
    /// core sums its share of the images into its own copy, added at the end.
    static func backpropKernel(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        let c = g.inChannels, outC = g.outChannels, m = outC / c
        let size = g.kernelHeight &* g.kernelWidth &* outC
        let cores = Swift.max(1, Swift.min(Parallel.coreCount, g.batch))
        let partial = TensorStorage.scratchFloats([cores, size], op: "depthwise_conv2d (kernel gradient)")
        let sums = partial.floats
        sums.update(repeating: 0, count: cores &* size)
        let pixelsPerImage = g.outHeight &* g.outWidth
        Parallel.forRanges(cores, threshold: 2) { range in
            for core in range {
                let acc = sums + core &* size
                let images = (g.batch &* core / cores)..<(g.batch &* (core &+ 1) / cores)
                for pixel in (images.lowerBound &* pixelsPerImage)..<(images.upperBound &* pixelsPerImage) {
                    let upstream = dy + pixel &* outC
                    FewChannelConvKernels.forEachTap(pixel, g) { tap, input in
                        let source = x + input &* c, target = acc + tap &* outC
                        if m == 1 {
                            for ch in 0..<c { target[ch] += source[ch] * upstream[ch] }
                            return
                        }
                        for ch in 0..<c {
                            let value = source[ch], base = ch &* m
                            for j in 0..<m { target[base &+ j] += value * upstream[base &+ j] }
                        }
                    }
                }
            }
        }
        for i in 0..<size {
            var total: Float = 0
            for core in 0..<cores { total += sums[core &* size &+ i] }
            dKernel[i] = total
        }
    }
}
