/// Keras's `ZeroPadding1D`: zero steps added before and after each sequence.
@Component(.layer)
open class ZeroPadding1D: Layer {
    open override class var kerasClassName: String { "ZeroPadding1D" }

    @Hyper("padding", .nonNegativePairs()) public var padding: SpatialPairs<One> = 1
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try spatialEdgesShape(inputShapes, pairs: padding.pairs, dataFormat: dataFormat, cropping: false)
    }

    /// Integer inputs stay integers: padding only moves values.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.padded(spatialEdgesPerAxis(rank: input.rank, pairs: padding.pairs, dataFormat: dataFormat))
    }
}
