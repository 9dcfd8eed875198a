/// What GlobalMaxPooling1D and GlobalAveragePooling1D share: one value per channel over all
/// steps, optionally keeping the steps axis with size 1 (`keepdims`).
@Component(.layer)
open class GlobalPooling1D: Layer {
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("keepdims") public var keepDims = false

    /// The axis the reduction runs over.
    public var stepsAxis: Int { dataFormat.spatialAxes(rank: 3)[0] }

    /// The reduction over the steps.
    open func reduce(_ x: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override reduce(_:)")
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 3...3, layout: dataFormat.sequenceLayout)
        let channels = shape[dataFormat.channelAxis(rank: 3)]
        return keepDims ? dataFormat.shape(batch: shape[0], spatial: [1], channels: channels) : [shape[0], channels]
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { reduce(input) }
}
