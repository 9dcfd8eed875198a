/// Keras's `GaussianDropout`: in training multiplies every value by N(1, rate / (1 − rate))
/// noise, the variance inverted dropout of that rate has; in inference passes the input through.
/// Seeded as Dropout is.
@Component(.layer)
open class GaussianDropout: Layer {
    open override class var kerasClassName: String { "GaussianDropout" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = input.asFloats
        guard training && rate > 0 else { return x }
        // rate 1 gives an infinite spread, as Keras's sqrt(rate / (1 − rate)) does.
        let stddev = Float((rate / (1 - rate)).squareRoot())
        return x * (seededGenerator ?? KeelRandom.generator).normal(x.shape, mean: 1, stddev: stddev)
    }
}
