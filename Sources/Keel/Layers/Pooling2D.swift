/// What MaxPooling2D and AveragePooling2D share: window, strides (defaulting to the window),
/// padding, data format. Each subclass supplies the pooling op.
@Component(.layer)
open class Pooling2D: Layer {
    @Hyper("pool_size", .allPositive()) public var poolSize: IntPair = 2
    @Hyper("padding") public var padding: Padding = .valid
    /// nil: the pool size, which the config then writes, as Keras does.
    @Hyper("strides", HyperCheck("positive integers or null") { strides in strides?.values.allSatisfy { $0 > 0 } ?? true })
    public var strides: IntPair? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func didConfigure() {
        if strides == nil { strides = poolSize }
    }

    /// The strides in force.
    public var resolvedStrides: IntPair { strides ?? poolSize }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
        let spatial = try poolWindowOutputs(shape, format: dataFormat, pool: poolSize.values, strides: resolvedStrides.values,
                                            padding: padding, shapes: inputShapes)
        return dataFormat.imageShape(batch: shape[0], spatial: spatial, channels: shape[dataFormat.channelAxis(rank: 4)])
    }

    /// The pooling itself, on a channels-last input.
    open func pool(_ x: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override pool(_:)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        dataFormat.fromChannelsLast(pool(dataFormat.toChannelsLast(input)))
    }
}
