/// Random values from a fixed distribution: Keras's `RandomNormal`, `RandomUniform` and
/// `TruncatedNormal` (redrawn until within two standard deviations of the mean).
public final class RandomNormal: RandomInitializer {
    public override class var kerasClassName: String { "RandomNormal" }
    public let mean: Double
    public let stddev: Double

    public init(mean: Double = 0, stddev: Double = 0.05, seed: Int? = nil) {
        self.mean = mean
        self.stddev = stddev
        super.init(seed: seed)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "RandomNormal initializer")
        self.init(mean: try reader.double("mean", default: 0), stddev: try reader.double("stddev", default: 0.05),
                  seed: try RandomInitializer.seed(from: reader))
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.normal(shape, mean: Float(mean), stddev: Float(stddev))
    }

    public override var config: JSONObject {
        var object = super.config
        object["mean"] = .double(mean)
        object["stddev"] = .double(stddev)
        return object
    }
}

public final class RandomUniform: RandomInitializer {
    public override class var kerasClassName: String { "RandomUniform" }
    public let minval: Double
    public let maxval: Double

    public init(minval: Double = -0.05, maxval: Double = 0.05, seed: Int? = nil) {
        self.minval = minval
        self.maxval = maxval
        super.init(seed: seed)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "RandomUniform initializer")
        self.init(minval: try reader.double("minval", default: -0.05), maxval: try reader.double("maxval", default: 0.05),
                  seed: try RandomInitializer.seed(from: reader))
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.uniform(shape, low: Float(minval), high: Float(maxval))
    }

    public override var config: JSONObject {
        var object = super.config
        object["minval"] = .double(minval)
        object["maxval"] = .double(maxval)
        return object
    }
}

public final class TruncatedNormal: RandomInitializer {
    public override class var kerasClassName: String { "TruncatedNormal" }
    public let mean: Double
    public let stddev: Double

    public init(mean: Double = 0, stddev: Double = 0.05, seed: Int? = nil) {
        self.mean = mean
        self.stddev = stddev
        super.init(seed: seed)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "TruncatedNormal initializer")
        self.init(mean: try reader.double("mean", default: 0), stddev: try reader.double("stddev", default: 0.05),
                  seed: try RandomInitializer.seed(from: reader))
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        generator.truncatedNormal(shape, mean: Float(mean), stddev: Float(stddev))
    }

    public override var config: JSONObject {
        var object = super.config
        object["mean"] = .double(mean)
        object["stddev"] = .double(stddev)
        return object
    }
}
