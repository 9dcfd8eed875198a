/// 2-D max and average pooling over NHWC tensors, and the global forms.
extension Tensor {
    func poolingGeometry(poolSize: (Int, Int), strides: (Int, Int)?, padding: Padding, op: String) -> ConvGeometry {
        opCheck(rank == 4, "\(op): expected an NHWC input, found shape \(shape)")
        let s = strides ?? poolSize
        opCheck(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype) \(shape)")
        for axis in 0..<2 {
            let problem = ConvArithmetic.axisProblem(length: shape[1 + axis], kernel: axis == 0 ? poolSize.0 : poolSize.1,
                                                     stride: axis == 0 ? s.0 : s.1, dilation: 1)
            opCheck(problem == nil, "\(op): input \(shape), pool size \(poolSize), strides \(s): \(problem ?? "")")
        }
        let rows = ConvArithmetic.convolution(length: shape[1], kernel: poolSize.0, stride: s.0, dilation: 1, padding: padding)
        let columns = ConvArithmetic.convolution(length: shape[2], kernel: poolSize.1, stride: s.1, dilation: 1, padding: padding)
        opCheck(rows.output > 0 && columns.output > 0,
                "\(op): the pool \(poolSize) is larger than the \(padding.rawValue)-padded input \(shape)")
        return ConvGeometry(batch: shape[0], height: shape[1], width: shape[2], inChannels: shape[3],
                            kernelHeight: poolSize.0, kernelWidth: poolSize.1, outChannels: shape[3],
                            strideY: s.0, strideX: s.1, dilationY: 1, dilationX: 1,
                            padTop: rows.padBefore, padLeft: columns.padBefore,
                            outHeight: rows.output, outWidth: columns.output)
    }

    /// Strides default to the pool size, as in Keras.
    public func maxPool2d(poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid) -> Tensor {
        let g = poolingGeometry(poolSize: poolSize, strides: strides, padding: padding, op: "max_pool2d")
        // The backward pass routes gradients by int32 flat indices into the input.
        opCheck(count <= Int(Int32.max), "max_pool2d: the input \(shape) has more than 2^31 − 1 elements")
        let y = Tensor(uninitializedShape: g.outputShape)
        let argmax = Tensor(uninitializedShape: g.outputShape, dtype: .int32)
        PoolingKernels.maxPool(storage.floats, g, into: y.storage.floats, argmax: argmax.storage.int32s)
        let inputShape = shape
        return differentiable(y, [self], { dy in
            // Route each output gradient to the input pixel that won its window.
            [Tensor.scatterAdding(dy.reshaped([-1]), indices: argmax.reshaped([-1]), axis: 0,
                                  shape: [ShapeMath.count(inputShape)]).reshaped(inputShape)]
        })
    }

    public func avgPool2d(poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid) -> Tensor {
        averagePool(poolingGeometry(poolSize: poolSize, strides: strides, padding: padding, op: "avg_pool2d"))
    }

    static func averagePoolGradient(_ dy: Tensor, _ g: ConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        PoolingKernels.averagePoolBackward(dy.storage.floats, g, into: dx.storage.floats)
        // Average pooling is linear: the gradient of its gradient is average pooling again.
        return differentiable(dx, [dy], { ddx in [ddx.averagePool(g)] })
    }

    func averagePool(_ g: ConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        PoolingKernels.averagePool(storage.floats, g, into: y.storage.floats)
        return differentiable(y, [self], { dy in [Tensor.averagePoolGradient(dy, g)] })
    }

    /// Mean over the spatial axes of an NHWC tensor.
    public func globalAvgPool2d(keepDims: Bool = false) -> Tensor {
        opCheck(rank == 4, "global_average_pool2d: expected an NHWC input, found shape \(shape)")
        return mean(axes: [1, 2], keepDims: keepDims)
    }

    public func globalMaxPool2d(keepDims: Bool = false) -> Tensor {
        opCheck(rank == 4, "global_max_pool2d: expected an NHWC input, found shape \(shape)")
        return max(axes: [1, 2], keepDims: keepDims)
    }
}
