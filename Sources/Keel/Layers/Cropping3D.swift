/// Keras's `Cropping3D`: rows cut from before and after the depth, height and width of 3-D volumes.
@Component(.layer)
open class Cropping3D: Layer {
    open override class var kerasClassName: String { "Cropping3D" }

    @Hyper("cropping", .nonNegativePairs()) public var cropping: SpatialPairs<Three> = 1
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
