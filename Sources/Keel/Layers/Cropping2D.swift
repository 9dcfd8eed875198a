/// Keras's `Cropping2D`: rows cut from before and after the height and width of 2-D images.
@Component(.layer)
open class Cropping2D: Layer {
    open override class var kerasClassName: String { "Cropping2D" }

    @Hyper("cropping", .nonNegativePairs()) public var cropping: SpatialPairs<Two> = 0
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try spatialEdgesShape(inputShapes, pairs: cropping.pairs, dataFormat: dataFormat, cropping: true)
    }

    /// Integer inputs stay integers: cropping only moves values.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        cropped(input, pairs: cropping.pairs, dataFormat: dataFormat)
    }
}
