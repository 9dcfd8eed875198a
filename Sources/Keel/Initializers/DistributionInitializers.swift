/// Random values from a fixed distribution: Keras's `RandomNormal`, `RandomUniform` and
/// `TruncatedNormal` (redrawn until within two standard deviations of the mean).
@Component(.plain)
public final class RandomNormal: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "RandomNormal" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("mean") public var mean: Double = 0.0
    @Hyper("stddev") public var stddev: Double = 0.05

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.normal(shape, mean: Float(mean), stddev: Float(stddev))
    }
}

@Component(.plain)
public final class RandomUniform: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "RandomUniform" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("minval") public var minval: Double = -0.05
    @Hyper("maxval") public var maxval: Double = 0.05

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.uniform(shape, low: Float(minval), high: Float(maxval))
    }
}

@Component(.plain)
public final class TruncatedNormal: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "TruncatedNormal" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("mean") public var mean: Double = 0.0
    @Hyper("stddev") public var stddev: Double = 0.05

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.truncatedNormal(shape, mean: Float(mean), stddev: Float(stddev))
    }
}
