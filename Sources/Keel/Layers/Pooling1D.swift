/// What MaxPooling1D and AveragePooling1D share: window, strides (defaulting to the window),
/// padding, data format. Each subclass supplies the 2-D pooling op, which runs on the sequence
/// viewed as an image one row high.
@Component(.layer)
open class Pooling1D: Layer {
    @Hyper("pool_size", .allPositive()) public var poolSize: IntTuple<One> = 2
    @Hyper("padding") public var padding: Padding = .valid
    /// nil: the pool size, which the config then writes, as Keras does.
    @Hyper("strides", HyperCheck("positive integers or null") { strides in strides?.values.allSatisfy { $0 > 0 } ?? true })
    public var strides: IntTuple<One>? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func didConfigure() {
        if strides == nil { strides = poolSize }
    }

    /// The strides in force.
    public var resolvedStrides: IntTuple<One> { strides ?? poolSize }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let steps = try poolWindowOutputs(shape, format: dataFormat, pool: poolSize.values, strides: resolvedStrides.values,
                                          padding: padding, shapes: inputShapes)
        return dataFormat.shape(batch: shape[0], spatial: steps, channels: shape[dataFormat.channelAxis(rank: 3)])
    }

    /// The pooling itself, on a channels-last image one row high, with a window and strides one row high.
    open func pool(_ x: Tensor, poolSize: (Int, Int), strides: (Int, Int)) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override pool(_:poolSize:strides:)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let row = dataFormat.toChannelsLast(input).asImageRow
        return dataFormat.fromChannelsLast(pool(row, poolSize: (1, poolSize[0]), strides: (1, resolvedStrides[0])).asSequence)
    }
}
