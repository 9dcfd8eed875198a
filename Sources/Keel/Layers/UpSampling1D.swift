/// Keras's `UpSampling1D`: sequences `size` times longer, each step repeated.
@Component(.layer)
open class UpSampling1D: Layer {
    open override class var kerasClassName: String { "UpSampling1D" }

    @Hyper("size", .inRange(1...(1 << 24))) public var size = 2

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try upSampledShape(inputShapes, size: [size], dataFormat: .channelsLast)
    }

    /// Repeating keeps integer inputs integers.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input.repeatingElements(size, axis: 1) }
}
