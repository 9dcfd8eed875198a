/// What MaxPooling3D and AveragePooling3D share: window, strides (defaulting to the window),
/// padding, data format. Each subclass supplies the pooling op.
@Component(.layer)
open class Pooling3D: Layer {
    @Hyper("pool_size", .allPositive()) public var poolSize: IntTuple<Three> = 2
    @Hyper("padding") public var padding: Padding = .valid
    /// nil: the pool size, which the config then writes, as Keras does.
    @Hyper("strides", HyperCheck("positive integers or null") { strides in strides?.values.allSatisfy { $0 > 0 } ?? true })
    public var strides: IntTuple<Three>? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func didConfigure() {
        if strides == nil { strides = poolSize }
    }

    /// The strides in force.
    public var resolvedStrides: IntTuple<Three> { strides ?? poolSize }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 5...5, layout: dataFormat.volumeAxesDescription)
        let spatial = try poolWindowOutputs(shape, format: dataFormat, pool: poolSize.values, strides: resolvedStrides.values,
                                            padding: padding, shapes: inputShapes)
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: shape[dataFormat.channelAxis(rank: 5)])
    }

    /// The pooling itself, on a channels-last input.
    open func pool(_ x: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override pool(_:)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        dataFormat.fromChannelsLast(pool(dataFormat.toChannelsLast(input)))
    }
}
