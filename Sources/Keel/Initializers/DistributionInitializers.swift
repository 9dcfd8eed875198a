/// Random values from a fixed distribution: Keras's `RandomNormal`, `RandomUniform` and
/// `TruncatedNormal` (redrawn until within two standard deviations of the mean).
public final class RandomNormal: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "RandomNormal" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("mean") public var mean: Double = 0.0
    @Hyper("stddev") public var stddev: Double = 0.05

    // @Component(.plain) expansion begin
    public convenience init(seed: Int? = nil, mean: Double = 0.0, stddev: Double = 0.05) {
        self.init()
        self.seed = seed
        self.mean = mean
        self.stddev = stddev
        self.didConfigure()
    }
    // @Component(.plain) expansion end

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.normal(shape, mean: Float(mean), stddev: Float(stddev))
    }
}

public final class RandomUniform: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "RandomUniform" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("minval") public var minval: Double = -0.05
    @Hyper("maxval") public var maxval: Double = 0.05

    // @Component(.plain) expansion begin
    public convenience init(seed: Int? = nil, minval: Double = -0.05, maxval: Double = 0.05) {
        self.init()
        self.seed = seed
        self.minval = minval
        self.maxval = maxval
        self.didConfigure()
    }
    // @Component(.plain) expansion end

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.uniform(shape, low: Float(minval), high: Float(maxval))
    }
}

public final class TruncatedNormal: Initializer, RandomInitializer {
    public override class var kerasClassName: String { "TruncatedNormal" }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("mean") public var mean: Double = 0.0
    @Hyper("stddev") public var stddev: Double = 0.05

    // @Component(.plain) expansion begin
    public convenience init(seed: Int? = nil, mean: Double = 0.0, stddev: Double = 0.05) {
        self.init()
        self.seed = seed
        self.mean = mean
        self.stddev = stddev
        self.didConfigure()
    }
    // @Component(.plain) expansion end

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.truncatedNormal(shape, mean: Float(mean), stddev: Float(stddev))
    }
}
