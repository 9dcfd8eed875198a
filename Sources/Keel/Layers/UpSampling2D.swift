/// Keras's `UpSampling2D`: images `size` times larger along height and width, each value repeated
/// (`nearest`) or interpolated between neighbours (`bilinear`, half-pixel centres as Keras's
/// resize computes them).
@Component(.layer)
open class UpSampling2D: Layer {
    open override class var kerasClassName: String { "UpSampling2D" }

    @Hyper("size", .allPositive()) public var size: IntPair = 2
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    @Hyper("interpolation") public var interpolation: UpSamplingInterpolation = .nearest

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try upSampledShape(inputShapes, size: size.values, dataFormat: dataFormat)
    }

    /// Repeating keeps integer inputs integers; interpolating makes floats.
    open override func outputDType(for inputDTypes: [DType]) -> DType {
        interpolation == .nearest ? inputDTypes[0] : .float32
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let axes = dataFormat.spatialAxes(rank: 4)
        switch interpolation {
        case .nearest:
            return zip(axes, size.values).reduce(input) { x, step in x.repeatingElements(step.1, axis: step.0) }
        case .bilinear:
            return zip(axes, size.values).reduce(input.cast(to: .float32)) { x, step in x.linearlyUpsampled(step.1, axis: step.0) }
        }
    }
}
