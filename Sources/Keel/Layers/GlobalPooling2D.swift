/// What GlobalMaxPooling2D and GlobalAveragePooling2D share: one value per channel over all
/// spatial positions, optionally keeping the spatial axes with size 1 (`keepdims`).
@Component(.layer)
open class GlobalPooling2D: Layer {
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("keepdims") public var keepDims = false

    /// The reduction over `axes`.
    open func reduce(_ x: Tensor, axes: [Int]) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override reduce(_:axes:)")
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
        let channels = shape[dataFormat.channelAxis(rank: 4)]
        return keepDims ? dataFormat.imageShape(batch: shape[0], spatial: [1, 1], channels: channels) : [shape[0], channels]
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        reduce(input, axes: dataFormat.spatialAxes(rank: 4))
    }
}
