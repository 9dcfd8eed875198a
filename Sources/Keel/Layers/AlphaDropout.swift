/// Keras's `AlphaDropout`, the dropout for SELU networks: in training sets each value (or each
/// `noise_shape` block) to SELU's negative saturation −scale·alpha with probability `rate`, then
/// applies the affine map a·x + b that brings the mean and variance of standardized inputs back
/// to 0 and 1; in inference passes the input through. Seeded as Dropout is.
@Component(.layer)
open class AlphaDropout: Layer {
    open override class var kerasClassName: String { "AlphaDropout" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    /// One mask value shared along the axes where it is 1 (nil entries take the input's size).
    @Hyper("noise_shape") public var noiseShape: [Int?]? = nil
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        guard let noiseShape else { return shape }
        guard noiseShape.count == shape.count else {
            throw invalidInput(expected: "an input of the noise shape's rank (\(noiseShape.count))", found: inputShapes)
        }
        for (noise, size) in zip(noiseShape, shape) {
            if let noise, noise != 1, let size, noise != size {
                throw invalidInput(expected: "dimensions the noise shape \(describeShape(noiseShape)) broadcasts to",
                                   found: inputShapes)
            }
        }
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = input.asFloats
        guard training && rate > 0 else { return x }
        let maskShape = noiseShape.map { noise in
            noise.enumerated().map { axis, size in size ?? x.shape[axis] }
        } ?? x.shape
        opCheck(maskShape.count == x.rank && zip(maskShape, x.shape).allSatisfy { $0 == 1 || $0 == $1 },
                "AlphaDropout '\(name)': noise shape \(maskShape) does not broadcast to the input's shape \(x.shape)")
        // Keras computes the constants in Python floats (double precision).
        let negativeSaturation = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
        let a = 1 / ((1 - rate) * (1 + rate * negativeSaturation * negativeSaturation)).squareRoot()
        let b = -a * negativeSaturation * rate
        let kept = (seededGenerator ?? KeelRandom.generator).uniform(maskShape).greaterEqual(Tensor(Float(rate)))
        return (x * kept + (1 - kept) * Float(negativeSaturation)) * Float(a) + Float(b)
    }
}
