/// 3-D max and average pooling over NDHWC volumes.
extension Tensor {
    func volumePoolingGeometry(poolSize: [Int], strides: [Int]?, padding: Padding, op: String) -> VolumeConvGeometry {
        opCheck(rank == 5, "\(op): expected an NDHWC input, found shape \(shape)")
        opCheck(dtype == .float32, "\(op): expected a float32 tensor, found \(dtype) \(shape)")
        let s = strides ?? poolSize
        opCheck(poolSize.count == 3 && s.count == 3, "\(op): expected 3 pool sizes and 3 strides, found \(poolSize) and \(s)")
        let made = VolumeConvGeometry.make(input: shape, window: poolSize, strides: s, dilation: [1, 1, 1], padding: padding,
                                           outChannels: shape[4])
        // Pooling needs no patch matrix: only a geometry that exists matters.
        guard let g = made.geometry else {
            OpCheck.fail("\(op): input \(shape), pool size \(poolSize), strides \(s): \(made.problem ?? "")")
        }
        return g
    }

    /// Strides default to the pool size, as in Keras.
    public func maxPool3d(poolSize: [Int] = [2, 2, 2], strides: [Int]? = nil, padding: Padding = .valid) -> Tensor {
        let g = volumePoolingGeometry(poolSize: poolSize, strides: strides, padding: padding, op: "max_pool3d")
        // The backward pass routes gradients by int32 flat indices into the input.
        opCheck(count <= Int(Int32.max), "max_pool3d: the input \(shape) has more than 2^31 − 1 elements")
        let y = Tensor(uninitializedShape: g.outputShape)
        let argmax = Tensor(uninitializedShape: g.outputShape, dtype: .int32)
        VolumePoolingKernels.maxPool(storage.floats, g, into: y.storage.floats, argmax: argmax.storage.int32s)
        let inputShape = shape
        return differentiable(y, [self], { dy in
            // Route each output gradient to the input position that won its window.
            [Tensor.scatterAdding(dy.reshaped([-1]), indices: argmax.reshaped([-1]), axis: 0,
                                  shape: [ShapeMath.count(inputShape)]).reshaped(inputShape)]
        })
    }

    public func avgPool3d(poolSize: [Int] = [2, 2, 2], strides: [Int]? = nil, padding: Padding = .valid) -> Tensor {
        volumeAveragePool(volumePoolingGeometry(poolSize: poolSize, strides: strides, padding: padding, op: "avg_pool3d"))
    }

    func volumeAveragePool(_ g: VolumeConvGeometry) -> Tensor {
        let y = Tensor(uninitializedShape: g.outputShape)
        VolumePoolingKernels.averagePool(storage.floats, g, into: y.storage.floats)
        return differentiable(y, [self], { dy in [Tensor.volumeAveragePoolGradient(dy, g)] })
    }

    static func volumeAveragePoolGradient(_ dy: Tensor, _ g: VolumeConvGeometry) -> Tensor {
        let dx = Tensor(uninitializedShape: g.inputShape)
        VolumePoolingKernels.averagePoolBackward(dy.storage.floats, g, into: dx.storage.floats)
        // Average pooling is linear: the gradient of its gradient is average pooling again.
        return differentiable(dx, [dy], { ddx in [ddx.volumeAveragePool(g)] })
    }
}
