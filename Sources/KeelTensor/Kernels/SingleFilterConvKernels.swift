internal import CKernels

/// Convolutions with one output channel (a generator's final Conv2D to a gray image). Through
/// im2col they would copy kh·kw·c values per pixel to feed a matrix–vector product — a 7×7×128
/// kernel on 64 images of 28×28 moves 1.2 GB — so these read the input in place instead, with
/// vectorised multiply-adds over the channels (CKernels).
enum SingleFilterConvKernels {
    static func applies(_ g: ConvGeometry) -> Bool { g.outChannels == 1 && g.inChannels >= 16 }

    /// y[pixel] = Σ over kernel taps of dot(x[input pixel, :], kernel[tap, :, 0]), an image per call.
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        var image = g.singleFilterImage
        let inputPerImage = g.height &* g.width &* g.inChannels, outputPerImage = g.outHeight &* g.outWidth
        Parallel.forRanges(g.batch, threshold: 2) { images in
            for n in images { keel_single_filter_forward(&image, x + n &* inputPerImage, kernel, y + n &* outputPerImage) }
        }
    }

    /// dKernel[tap, :, 0] = Σ over pixels of dy[pixel] · x[input pixel, :]. Each core sums its share
    /// of the images into its own copy, one image at a time and every tap over that image, so the
    /// image is read from cache kh·kw times instead of the whole batch from memory.
    static func kernelGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        var image = g.singleFilterImage
        let size = g.kernelHeight &* g.kernelWidth &* g.inChannels
        let inputPerImage = g.height &* g.width &* g.inChannels, outputPerImage = g.outHeight &* g.outWidth
        let cores = Swift.max(1, Swift.min(Parallel.coreCount, g.batch))
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: cores &* size)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: cores &* size)
        Parallel.forRanges(cores, threshold: 2) { range in
            for core in range {
                for n in (g.batch &* core / cores)..<(g.batch &* (core &+ 1) / cores) {
                    keel_single_filter_kernel_gradient(&image, x + n &* inputPerImage, dy + n &* outputPerImage,
                                                       partial + core &* size)
                }
            }
        }
        for i in 0..<size {
            var total: Float = 0
            for core in 0..<cores { total += partial[core &* size &+ i] }
            dKernel[i] = total
        }
    }
}

extension ConvGeometry {
    /// One image of this geometry, as the C kernels take it.
    fileprivate var singleFilterImage: keel_single_filter_geometry {
        keel_single_filter_geometry(height: height, width: width, channels: inChannels, out_height: outHeight,
                                    out_width: outWidth, kernel_height: kernelHeight, kernel_width: kernelWidth,
                                    stride_y: strideY, stride_x: strideX, dilation_y: dilationY, dilation_x: dilationX,
                                    pad_top: padTop, pad_left: padLeft)
    }
}
