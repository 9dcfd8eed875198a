/// Keras's `GaussianNoise`: in training adds N(0, stddev²) noise to every value; in inference
/// passes the input through. A `seed` gives the layer its own generator (reproducible noise);
/// otherwise the noise comes from `KeelRandom.generator`, as Dropout's masks do.
@Component(.layer)
open class GaussianNoise: Layer {
    open override class var kerasClassName: String { "GaussianNoise" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("stddev", .inRange(0...1)) public var stddev: Double
    @Hyper("seed") public var seed: Int? = nil
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = input.asFloats
        guard training && stddev > 0 else { return x }
        return x + (seededGenerator ?? KeelRandom.generator).normal(x.shape, stddev: Float(stddev))
    }
}
