/// Keras's `Cropping1D`: steps cut from the start and end of (batch, steps, features) sequences.
@Component(.layer)
open class Cropping1D: Layer {
    open override class var kerasClassName: String { "Cropping1D" }

    @Hyper("cropping", .nonNegativePairs()) public var cropping: SpatialPairs<One> = 1

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try spatialEdgesShape(inputShapes, pairs: cropping.pairs, dataFormat: .channelsLast, cropping: true)
    }

    /// Integer inputs stay integers: cropping only moves values.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        cropped(input, pairs: cropping.pairs, dataFormat: .channelsLast)
    }
}
