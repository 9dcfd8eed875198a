/// 3-D convolutions over NDHWC volumes, as Keras defines them.
extension Tensor {
    /// Conv3D: input (n, d, h, w, c), kernel (kd, kh, kw, c, filters).
    public func conv3d(_ kernel: Tensor, strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                       dilation: [Int] = [1, 1, 1]) -> Tensor {
        checkVolumeConvolutionOperands("conv3d", kernel, kernelLayout: "(kd, kh, kw, in, out)", inputChannelAxis: 3,
                                       strides: strides, dilation: dilation)
        let made = VolumeConvGeometry.make(input: shape, window: Array(kernel.shape[0..<3]), strides: strides,
                                           dilation: dilation, padding: padding, outChannels: kernel.shape[4])
        guard let g = made.geometry, made.problem == nil else {
            OpCheck.fail("conv3d: input \(shape), kernel \(kernel.shape), strides \(strides), dilation \(dilation): \(made.problem ?? "")")
        }
        return Tensor.volumeConvolution(self, kernel, g)
    }

    /// Conv3DTranspose: input (n, d, h, w, c), kernel (kd, kh, kw, filters, c); output sizes as
    /// Keras computes them (an output padding must be less than the stride along its axis).
    public func conv3dTranspose(_ kernel: Tensor, strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                                dilation: [Int] = [1, 1, 1], outputPadding: [Int]? = nil) -> Tensor {
        checkVolumeConvolutionOperands("conv3d_transpose", kernel, kernelLayout: "(kd, kh, kw, out, in)", inputChannelAxis: 4,
                                       strides: strides, dilation: dilation)
        opCheck(outputPadding.map { $0.count == 3 } ?? true, "conv3d_transpose: expected 3 output paddings, found \(outputPadding ?? [])")
        var axes: [(output: Int, padBefore: Int)] = []
        for axis in 0..<3 {
            let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: kernel.shape[axis], stride: strides[axis],
                                                     dilation: dilation[axis],
                                                     transposedWithOutputPadding: .some(outputPadding.map { $0[axis] }))
            opCheck(problem == nil, "conv3d_transpose: input \(shape), kernel \(kernel.shape), strides \(strides), dilation \(dilation)"
                        + "\(outputPadding.map { ", output padding \($0)" } ?? ""): \(problem ?? "")")
            axes.append(ConvArithmetic.transposedConvolution(length: shape[1 + axis], kernel: kernel.shape[axis],
                                                             stride: strides[axis], dilation: dilation[axis], padding: padding,
                                                             outputPadding: outputPadding?[axis]))
        }
        opCheck(axes.allSatisfy { $0.output > 0 },
                "conv3d_transpose: the output of input \(shape) with kernel \(kernel.shape) would be empty")
        // The convolution this one transposes: from the output back to the input.
        let g = VolumeConvGeometry(batch: shape[0], depth: axes[0].output, height: axes[1].output, width: axes[2].output,
                                   inChannels: kernel.shape[3], kernelDepth: kernel.shape[0], kernelHeight: kernel.shape[1],
                                   kernelWidth: kernel.shape[2], outChannels: shape[4],
                                   strideZ: strides[0], strideY: strides[1], strideX: strides[2],
                                   dilationZ: dilation[0], dilationY: dilation[1], dilationX: dilation[2],
                                   padFront: axes[0].padBefore, padTop: axes[1].padBefore, padLeft: axes[2].padBefore,
                                   outDepth: shape[1], outHeight: shape[2], outWidth: shape[3])
        opCheck(ShapeMath.problem(with: g.inputShape) == nil,
                "conv3d_transpose: the output \(g.inputShape) of input \(shape) with kernel \(kernel.shape) holds more elements than memory can")
        if let problem = g.workspaceProblem { OpCheck.fail("conv3d_transpose: input \(shape), kernel \(kernel.shape): \(problem)") }
        return Tensor.transposedVolumeConvolution(self, kernel, g)
    }

    private func checkVolumeConvolutionOperands(_ op: String, _ kernel: Tensor, kernelLayout: String, inputChannelAxis: Int,
                                                strides: [Int], dilation: [Int]) {
        opCheck(rank == 5 && kernel.rank == 5,
                "\(op): expected an NDHWC input and a \(kernelLayout) kernel, found \(shape) and \(kernel.shape)")
        opCheck(dtype == .float32 && kernel.dtype == .float32,
                "\(op): expected float32 tensors, found \(dtype) \(shape) and \(kernel.dtype) \(kernel.shape)")
        opCheck(kernel.shape[inputChannelAxis] == shape[4],
                "\(op): the kernel \(kernel.shape) expects \(kernel.shape[inputChannelAxis]) input channels, the input \(shape) has \(shape[4])")
        opCheck(strides.count == 3 && dilation.count == 3,
                "\(op): expected 3 strides and 3 dilation rates, found \(strides) and \(dilation)")
    }

    static func volumeConvolution(_ x: Tensor, _ kernel: Tensor, _ g: VolumeConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        if g.isEmpty { y.storage.floats.update(repeating: 0, count: y.count) } else {
            VolumeConvKernels.forward(x.storage.floats, kernel.storage.floats, g, into: y.storage.floats)
        }
        return differentiable(y, [x, kernel], skipping: { dy, needed in
            [needed[0] ? transposedVolumeConvolution(dy, kernel, g) : nil,
             needed[1] ? volumeConvolutionKernelGradient(x, dy, g) : nil]
        })
    }

    static func transposedVolumeConvolution(_ dy: Tensor, _ kernel: Tensor, _ g: VolumeConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        if g.isEmpty { dx.storage.floats.update(repeating: 0, count: dx.count) } else {
            VolumeConvKernels.backpropInput(dy.storage.floats, kernel.storage.floats, g, into: dx.storage.floats)
        }
        return differentiable(dx, [dy, kernel], { ddx in
            [volumeConvolution(ddx, kernel, g), volumeConvolutionKernelGradient(ddx, dy, g)]
        })
    }

    static func volumeConvolutionKernelGradient(_ x: Tensor, _ dy: Tensor, _ g: VolumeConvGeometry) -> Tensor {
        let dKernel = Tensor(uninitializedShape: g.kernelShape)
        if g.isEmpty { dKernel.storage.floats.update(repeating: 0, count: dKernel.count) } else {
            VolumeConvKernels.backpropKernel(x.storage.floats, dy.storage.floats, g, into: dKernel.storage.floats)
        }
        return differentiable(dKernel, [x, dy], { dk in
            [transposedVolumeConvolution(dy, dk, g), volumeConvolution(x, dk, g)]
        })
    }
}
