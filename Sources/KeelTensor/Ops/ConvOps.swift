/// 2-D convolutions over NHWC tensors, as Keras defines them.
extension Tensor {
    /// Conv2D: input (n, h, w, c), kernel (kh, kw, c, filters).
    public func conv2d(_ kernel: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                       dilation: (Int, Int) = (1, 1)) -> Tensor {
        checkConvolutionOperands("conv2d", kernel, kernelLayout: "(kh, kw, in, out)", inputChannelAxis: 2)
        for axis in 0..<2 {
            let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: kernel.shape[axis],
                                                     stride: axis == 0 ? strides.0 : strides.1,
                                                     dilation: axis == 0 ? dilation.0 : dilation.1)
            opCheck(problem == nil, "conv2d: input \(shape), kernel \(kernel.shape), strides \(strides), dilation \(dilation): \(problem ?? "")")
        }
        let rows = ConvArithmetic.convolution(length: shape[1], kernel: kernel.shape[0], stride: strides.0,
                                              dilation: dilation.0, padding: padding)
        let columns = ConvArithmetic.convolution(length: shape[2], kernel: kernel.shape[1], stride: strides.1,
                                                 dilation: dilation.1, padding: padding)
        opCheck(rows.output > 0 && columns.output > 0,
                "conv2d: the kernel \(kernel.shape) (dilation \(dilation)) is larger than the \(padding.rawValue)-padded input \(shape)")
        let g = ConvGeometry(batch: shape[0], height: shape[1], width: shape[2], inChannels: shape[3],
                             kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], outChannels: kernel.shape[3],
                             strideY: strides.0, strideX: strides.1, dilationY: dilation.0, dilationX: dilation.1,
                             padTop: rows.padBefore, padLeft: columns.padBefore,
                             outHeight: rows.output, outWidth: columns.output)
        if let problem = g.workspaceProblem { OpCheck.fail("conv2d: input \(shape), kernel \(kernel.shape): \(problem)") }
        return Tensor.convolution(self, kernel, g)
    }

    /// Conv2DTranspose: input (n, h, w, c), kernel (kh, kw, filters, c); output sizes as Keras.
    /// An output padding must be less than the stride along its axis (Keras's rule).
    public func conv2dTranspose(_ kernel: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                                dilation: (Int, Int) = (1, 1), outputPadding: (Int, Int)? = nil) -> Tensor {
        checkConvolutionOperands("conv2d_transpose", kernel, kernelLayout: "(kh, kw, out, in)", inputChannelAxis: 3)
        for axis in 0..<2 {
            let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: kernel.shape[axis],
                                                     stride: axis == 0 ? strides.0 : strides.1,
                                                     dilation: axis == 0 ? dilation.0 : dilation.1,
                                                     transposedWithOutputPadding: .some(outputPadding.map { axis == 0 ? $0.0 : $0.1 }))
            opCheck(problem == nil, "conv2d_transpose: input \(shape), kernel \(kernel.shape), strides \(strides), dilation \(dilation)"
                        + "\(outputPadding.map { ", output padding \($0)" } ?? ""): \(problem ?? "")")
        }
        let rows = ConvArithmetic.transposedConvolution(length: shape[1], kernel: kernel.shape[0], stride: strides.0,
                                                        dilation: dilation.0, padding: padding, outputPadding: outputPadding?.0)
        let columns = ConvArithmetic.transposedConvolution(length: shape[2], kernel: kernel.shape[1], stride: strides.1,
                                                           dilation: dilation.1, padding: padding, outputPadding: outputPadding?.1)
        opCheck(rows.output > 0 && columns.output > 0,
                "conv2d_transpose: the output of input \(shape) with kernel \(kernel.shape) would be empty")
        // The convolution this one transposes: from the output back to the input.
        let g = ConvGeometry(batch: shape[0], height: rows.output, width: columns.output, inChannels: kernel.shape[2],
                             kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], outChannels: shape[3],
                             strideY: strides.0, strideX: strides.1, dilationY: dilation.0, dilationX: dilation.1,
                             padTop: rows.padBefore, padLeft: columns.padBefore,
                             outHeight: shape[1], outWidth: shape[2])
        opCheck(ShapeMath.problem(with: g.inputShape) == nil,
                "conv2d_transpose: the output \(g.inputShape) of input \(shape) with kernel \(kernel.shape) holds more elements than memory can")
        if let problem = g.workspaceProblem { OpCheck.fail("conv2d_transpose: input \(shape), kernel \(kernel.shape): \(problem)") }
        return Tensor.transposedConvolution(self, kernel, g)
    }

    /// Rank, dtype and channel count, the same for a convolution and its transpose but for where
    /// the kernel keeps the input's channels.
    private func checkConvolutionOperands(_ op: String, _ kernel: Tensor, kernelLayout: String, inputChannelAxis: Int) {
        opCheck(rank == 4 && kernel.rank == 4,
                "\(op): expected an NHWC input and an \(kernelLayout) kernel, found \(shape) and \(kernel.shape)")
        opCheck(dtype == .float32 && kernel.dtype == .float32,
                "\(op): expected float32 tensors, found \(dtype) \(shape) and \(kernel.dtype) \(kernel.shape)")
        opCheck(kernel.shape[inputChannelAxis] == shape[3],
                "\(op): the kernel \(kernel.shape) expects \(kernel.shape[inputChannelAxis]) input channels, the input \(shape) has \(shape[3])")
    }

    static func convolution(_ x: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        if g.isEmpty { y.storage.floats.update(repeating: 0, count: y.count) } else {
            ConvKernels.forward(x.storage.floats, kernel.storage.floats, g, into: y.storage.floats)
        }
        return differentiable(y, [x, kernel], skipping: { dy, needed in
            let needX = needed[0], needKernel = needed[1]
            return [needX ? transposedConvolution(dy, kernel, g) : nil, needKernel ? convolutionKernelGradient(x, dy, g) : nil]
        })
    }

    static func transposedConvolution(_ dy: Tensor, _ kernel: Tensor, _ g: ConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        if g.isEmpty { dx.storage.floats.update(repeating: 0, count: dx.count) } else {
            ConvKernels.backpropInput(dy.storage.floats, kernel.storage.floats, g, into: dx.storage.floats)
        }
        return differentiable(dx, [dy, kernel], { ddx in
            [convolution(ddx, kernel, g), convolutionKernelGradient(ddx, dy, g)]
        })
    }

    static func convolutionKernelGradient(_ x: Tensor, _ dy: Tensor, _ g: ConvGeometry) -> Tensor {
        let dKernel = Tensor(uninitializedShape: g.kernelShape)
        if g.isEmpty { dKernel.storage.floats.update(repeating: 0, count: dKernel.count) } else {
            ConvKernels.backpropKernel(x.storage.floats, dy.storage.floats, g, into: dKernel.storage.floats)
        }
        return differentiable(dKernel, [x, dy], { dk in
            [transposedConvolution(dy, dk, g), convolution(x, dk, g)]
        })
    }
}
