/// What GlobalMaxPooling3D and GlobalAveragePooling3D share: one value per channel over all
/// positions of a volume, optionally keeping the spatial axes with size 1 (`keepdims`).
@Component(.layer)
open class GlobalPooling3D: Layer {
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("keepdims") public var keepDims = false

    /// The reduction over `axes`.
    open func reduce(_ x: Tensor, axes: [Int]) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override reduce(_:axes:)")
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 5...5, layout: dataFormat.volumeAxesDescription)
        let channels = shape[dataFormat.channelAxis(rank: 5)]
        return keepDims ? dataFormat.imageShape(batch: shape[0], spatial: [1, 1, 1], channels: channels) : [shape[0], channels]
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        reduce(input, axes: dataFormat.spatialAxes(rank: 5))
    }
}
