/// Keras's `Flatten`: each sample becomes one vector. Channels-first inputs are put channels-last
/// first, so the order of values matches a channels-last model, as in Keras.
@Component(.layer)
open class Flatten: Layer {
    open override class var kerasClassName: String { "Flatten" }

    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast

    /// (batch, product of the other dimensions), unknown when any of them is.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        let sizes = shape.dropFirst()
        return [shape[0], sizes.contains(nil) ? nil : sizes.reduce(1) { $0 * $1! }]
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        dataFormat.toChannelsLast(input).reshaped([input.shape[0], input.shape.dropFirst().reduce(1, *)])
    }
}
