/// Where each 2-D convolution runs. oneDNN by default: measured on the seeds' shapes (AMD EPYC,
/// AVX-512, 2 cores) its direct kernels run 2.5× the im2col + GEMM path (conv_vgg 83 → 213
/// GFLOP/s) and win every geometry of W3 and W4, first layers (1 input channel) included, except
/// convolutions to a single output channel, whose forward pass and kernel gradient oneDNN runs at
/// ~15 GFLOP/s (a 7×7×128→1 layer: 42 ms; Keel's direct kernels: 14 and 9 ms). A geometry oneDNN
/// refuses runs on im2col + GEMM.
enum ConvKernels {
    /// y = conv(x, kernel).
    static func forward(_ x: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                        into y: UnsafeMutablePointer<Float>) {
        if SingleFilterConvKernels.applies(g) {
            SingleFilterConvKernels.forward(x, kernel, g, into: y)
        } else if !OneDNNConvolution.run(.forward, g, x, kernel, into: y) {
            Im2colConvKernels.forward(x, kernel, g, into: y)
        }
    }

    /// dx = the gradient of conv(x, kernel) with respect to x, given dy (also: transposed convolution).
    static func backpropInput(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                              into dx: UnsafeMutablePointer<Float>) {
        if !OneDNNConvolution.run(.backwardData, g, dy, kernel, into: dx) {
            Im2colConvKernels.backpropInput(dy, kernel, g, into: dx)
        }
    }

    /// dKernel = the gradient of conv(x, kernel) with respect to the kernel, given dy.
    static func backpropKernel(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ g: ConvGeometry,
                               into dKernel: UnsafeMutablePointer<Float>) {
        if SingleFilterConvKernels.applies(g) {
            SingleFilterConvKernels.kernelGradient(x, dy, g, into: dKernel)
        } else if !OneDNNConvolution.run(.backwardWeights, g, x, dy, into: dKernel) {
            Im2colConvKernels.backpropKernel(x, dy, g, into: dKernel)
        }
    }
}
