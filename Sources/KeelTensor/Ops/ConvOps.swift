/// 2-D convolutions over NHWC tensors, as Keras defines them.
extension Tensor {
    /// Conv2D: input (n, h, w, c), kernel (kh, kw, c, filters).
    public func conv2d(_ kernel: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                       dilation: (Int, Int) = (1, 1)) -> Tensor {
        precondition(rank == 4 && kernel.rank == 4,
                     "conv2d: expected an NHWC input and an (kh, kw, in, out) kernel, found \(shape) and \(kernel.shape)")
        precondition(kernel.shape[2] == shape[3],
                     "conv2d: the kernel \(kernel.shape) expects \(kernel.shape[2]) input channels, the input \(shape) has \(shape[3])")
        precondition(strides.0 > 0 && strides.1 > 0 && dilation.0 > 0 && dilation.1 > 0,
                     "conv2d: strides \(strides) and dilation \(dilation) must be positive")
        let rows = ConvArithmetic.convolution(length: shape[1], kernel: kernel.shape[0], stride: strides.0,
                                              dilation: dilation.0, padding: padding)
        let columns = ConvArithmetic.convolution(length: shape[2], kernel: kernel.shape[1], stride: strides.1,
                                                 dilation: dilation.1, padding: padding)
        precondition(rows.output > 0 && columns.output > 0,
                     "conv2d: the kernel \(kernel.shape) (dilation \(dilation)) is larger than the \(padding.rawValue)-padded input \(shape)")
        let g = ConvGeometry(batch: shape[0], height: shape[1], width: shape[2], inChannels: shape[3],
                             kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], outChannels: kernel.shape[3],
                             strideY: strides.0, strideX: strides.1, dilationY: dilation.0, dilationX: dilation.1,
                             padTop: rows.padBefore, padLeft: columns.padBefore,
                             outHeight: rows.output, outWidth: columns.output)
        return Tensor.convolution(self, kernel, g)
    }

    /// Conv2DTranspose: input (n, h, w, c), kernel (kh, kw, filters, c); output sizes as Keras.
    public func conv2dTranspose(_ kernel: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                                dilation: (Int, Int) = (1, 1), outputPadding: (Int, Int)? = nil) -> Tensor {
        precondition(rank == 4 && kernel.rank == 4,
                     "conv2d_transpose: expected an NHWC input and an (kh, kw, out, in) kernel, found \(shape) and \(kernel.shape)")
        precondition(kernel.shape[3] == shape[3],
                     "conv2d_transpose: the kernel \(kernel.shape) expects \(kernel.shape[3]) input channels, the input \(shape) has \(shape[3])")
        precondition(strides.0 > 0 && strides.1 > 0 && dilation.0 > 0 && dilation.1 > 0,
                     "conv2d_transpose: strides \(strides) and dilation \(dilation) must be positive")
        let rows = ConvArithmetic.transposedConvolution(length: shape[1], kernel: kernel.shape[0], stride: strides.0,
                                                        dilation: dilation.0, padding: padding, outputPadding: outputPadding?.0)
        let columns = ConvArithmetic.transposedConvolution(length: shape[2], kernel: kernel.shape[1], stride: strides.1,
                                                           dilation: dilation.1, padding: padding, outputPadding: outputPadding?.1)
        precondition(rows.output > 0 && columns.output > 0,
                     "conv2d_transpose: the output of input \(shape) with kernel \(kernel.shape) would be empty")
        // The convolution this one transposes: from the output back to the input.
        let g = ConvGeometry(batch: shape[0], height: rows.output, width: columns.output, inChannels: kernel.shape[2],
                             kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], outChannels: shape[3],
                             strideY: strides.0, strideX: strides.1, dilationY: dilation.0, dilationX: dilation.1,
                             padTop: rows.padBefore, padLeft: columns.padBefore,
                             outHeight: shape[1], outWidth: shape[2])
        return Tensor.transposedConvolution(self, kernel, g)
    }

    static func convolution(_ x: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        ConvKernels.forward(x.storage.floats, kernel.storage.floats, g, into: y.storage.floats)
        return differentiable(y, [x, kernel], { dy in
            let needX = GradientTape.inputNeedsGradient(0), needKernel = GradientTape.inputNeedsGradient(1)
            return [needX ? transposedConvolution(dy, kernel, g) : nil, needKernel ? convolutionKernelGradient(x, dy, g) : nil]
        })
    }

    static func transposedConvolution(_ dy: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        ConvKernels.backpropInput(dy.storage.floats, kernel.storage.floats, g, into: dx.storage.floats)
        return differentiable(dx, [dy, kernel], { ddx in
            [convolution(ddx, kernel, g), convolutionKernelGradient(ddx, dy, g)]
        })
    }

    static func convolutionKernelGradient(_ x: Tensor, _ dy: Tensor, _ g: ConvGeometry) -> Tensor {
        let dKernel = Tensor(uninitializedShape: g.kernelShape)
        ConvKernels.backpropKernel(x.storage.floats, dy.storage.floats, g, into: dKernel.storage.floats)
        return differentiable(dKernel, [x, dy], { dk in
            [transposedConvolution(dy, dk, g), convolution(x, dk, g)]
        })
    }
}
