/// Depthwise 2-D convolution over NHWC tensors, as Keras defines it.
extension Tensor {
    /// DepthwiseConv2D: input (n, h, w, c), kernel (kh, kw, c, multiplier); output channel
    /// c·multiplier + j is input channel c convolved with filter j of channel c.
    public func depthwiseConv2d(_ kernel: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                                dilation: (Int, Int) = (1, 1)) -> Tensor {
        opCheck(rank == 4 && kernel.rank == 4,
                "depthwise_conv2d: expected an NHWC input and a (kh, kw, in, multiplier) kernel, found \(shape) and \(kernel.shape)")
        opCheck(dtype == .float32 && kernel.dtype == .float32,
                "depthwise_conv2d: expected float32 tensors, found \(dtype) \(shape) and \(kernel.dtype) \(kernel.shape)")
        opCheck(kernel.shape[2] == shape[3],
                "depthwise_conv2d: the kernel \(kernel.shape) expects \(kernel.shape[2]) input channels, the input \(shape) has \(shape[3])")
        for axis in 0..<2 {
            let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: kernel.shape[axis],
                                                     stride: axis == 0 ? strides.0 : strides.1,
                                                     dilation: axis == 0 ? dilation.0 : dilation.1)
            opCheck(problem == nil, "depthwise_conv2d: input \(shape), kernel \(kernel.shape), strides \(strides), dilation \(dilation): \(problem ?? "")")
        }
        let rows = ConvArithmetic.convolution(length: shape[1], kernel: kernel.shape[0], stride: strides.0,
                                              dilation: dilation.0, padding: padding)
        let columns = ConvArithmetic.convolution(length: shape[2], kernel: kernel.shape[1], stride: strides.1,
                                                 dilation: dilation.1, padding: padding)
        opCheck(rows.output > 0 && columns.output > 0,
                "depthwise_conv2d: the kernel \(kernel.shape) (dilation \(dilation)) is larger than the \(padding.rawValue)-padded input \(shape)")
        let (outChannels, overflow) = shape[3].multipliedReportingOverflow(by: kernel.shape[3])
        opCheck(!overflow && outChannels <= ShapeMath.maximumElementCount,
                "depthwise_conv2d: \(shape[3]) channels times a depth multiplier of \(kernel.shape[3]) is too many channels")
        let g = ConvGeometry(batch: shape[0], height: shape[1], width: shape[2], inChannels: shape[3],
                             kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], outChannels: outChannels,
                             strideY: strides.0, strideX: strides.1, dilationY: dilation.0, dilationX: dilation.1,
                             padTop: rows.padBefore, padLeft: columns.padBefore,
                             outHeight: rows.output, outWidth: columns.output)
        opCheck(ShapeMath.problem(with: g.outputShape) == nil,
                "depthwise_conv2d: the output \(g.outputShape) of input \(shape) with kernel \(kernel.shape) holds more elements than memory can")
        return Tensor.depthwiseConvolution(self, kernel, g)
    }

    /// The kernel's shape for a depthwise geometry (its `outChannels` is channels · multiplier).
    private static func depthwiseKernelShape(_ g: ConvGeometry) -> [Int] {
        [g.kernelHeight, g.kernelWidth, g.inChannels, g.inChannels == 0 ? 0 : g.outChannels / g.inChannels]
    }

    static func depthwiseConvolution(_ x: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        if g.isEmpty { y.storage.floats.update(repeating: 0, count: y.count) } else {
            DepthwiseConvKernels.forward(x.storage.floats, kernel.storage.floats, g, into: y.storage.floats)
        }
        return differentiable(y, [x, kernel], skipping: { dy, needed in
            [needed[0] ? transposedDepthwiseConvolution(dy, kernel, g) : nil,
             needed[1] ? depthwiseConvolutionKernelGradient(x, dy, g) : nil]
        })
    }

    static func transposedDepthwiseConvolution(_ dy: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        if g.isEmpty { dx.storage.floats.update(repeating: 0, count: dx.count) } else {
            DepthwiseConvKernels.backpropInput(dy.storage.floats, kernel.storage.floats, g, into: dx.storage.floats)
        }
        return differentiable(dx, [dy, kernel], { ddx in
            [depthwiseConvolution(ddx, kernel, g), depthwiseConvolutionKernelGradient(ddx, dy, g)]
        })
    }

    static func depthwiseConvolutionKernelGradient(_ x: Tensor, _ dy: Tensor, _ g: ConvGeometry) -> Tensor {
        let dKernel = Tensor(uninitializedShape: depthwiseKernelShape(g))
        if g.isEmpty { dKernel.storage.floats.update(repeating: 0, count: dKernel.count) } else {
            DepthwiseConvKernels.backpropKernel(x.storage.floats, dy.storage.floats, g, into: dKernel.storage.floats)
        }
        return differentiable(dKernel, [x, dy], { dk in
            [transposedDepthwiseConvolution(dy, dk, g), depthwiseConvolution(x, dk, g)]
        })
    }
}
