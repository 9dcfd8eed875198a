/// Keras's `Dropout`: in training, zeroes each value with probability `rate` and scales the kept
/// ones by 1/(1 − rate); in inference it passes the input through. A `seed` gives the layer its
/// own generator (reproducible masks); otherwise masks come from `KeelRandom.generator`.
/// `noiseShape` shares one mask value along the axes where it is 1 (nil entries take the
/// input's size).
@Component(.layer)
open class Dropout: Layer {
    open override class var kerasClassName: String { "Dropout" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("noise_shape") public var noiseShape: [Int?]? = nil
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        if let noiseShape, noiseShape.count != shape.count {
            throw invalidInput(expected: "an input of the noise shape's rank (\(noiseShape.count))", found: inputShapes)
        }
        return shape
    }

    /// Inference passes values through, so integer inputs stay integers.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { return input }
        let generator = seededGenerator ?? KeelRandom.generator
        guard let noiseShape else { return input.dropout(rate: Float(rate), generator: generator) }
        opCheck(noiseShape.count == input.rank,
                     "Dropout '\(name)': noise shape \(noiseShape) does not match the input's rank (shape \(input.shape))")
        if rate >= 1 { return input * 0 }
        let maskShape = noiseShape.enumerated().map { axis, size in size ?? input.shape[axis] }
        let keep = Float(1 - rate)
        return input * generator.bernoulli(maskShape, probability: keep, value: 1 / keep)
    }
}
