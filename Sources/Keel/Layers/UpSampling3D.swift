/// Keras's `UpSampling3D`: volumes `size` times larger along depth, height and width, each value
/// repeated.
@Component(.layer)
open class UpSampling3D: Layer {
    open override class var kerasClassName: String { "UpSampling3D" }

    @Hyper("size", .allPositive()) public var size: IntTuple<Three> = 2
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try upSampledShape(inputShapes, size: size.values, dataFormat: dataFormat)
    }

    /// Integer inputs stay integers: repeating only moves values.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        zip(dataFormat.spatialAxes(rank: 5), size.values).reduce(input) { x, step in x.repeatingElements(step.1, axis: step.0) }
    }
}
