/// The named settings of `VarianceScaling`. Keras writes only the seed (and the axes fields of
/// Keras 3.15) in their configs, since the rest is implied by the class.
open class VarianceScalingPreset: VarianceScaling {
    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "\(Self.kerasClassName) initializer")
        try VarianceScaling.requireDefaultAxes(reader)
        self.init(seed: try RandomInitializer.seed(from: reader))
    }

    /// Each preset supplies its fixed scale, mode and distribution.
    public init(seed: Int?) {
        let (scale, mode, distribution) = Self.settings
        super.init(scale: scale, mode: mode, distribution: distribution, seed: seed)
    }

    open class var settings: (Double, Mode, Distribution) { (1, .fanIn, .truncatedNormal) }

    open override var config: JSONObject {
        ["seed": seed.map { .int($0) } ?? .null, "input_axes": .null, "output_axes": .null]
    }
}

/// Uniform within ±√(6 / (fan_in + fan_out)).
public final class GlorotUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "GlorotUniform" }
    public override class var settings: (Double, Mode, Distribution) { (1, .fanAvg, .uniform) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}

/// Truncated normal with standard deviation √(2 / (fan_in + fan_out)).
public final class GlorotNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "GlorotNormal" }
    public override class var settings: (Double, Mode, Distribution) { (1, .fanAvg, .truncatedNormal) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}

/// Truncated normal with standard deviation √(2 / fan_in).
public final class HeNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "HeNormal" }
    public override class var settings: (Double, Mode, Distribution) { (2, .fanIn, .truncatedNormal) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}

/// Uniform within ±√(6 / fan_in).
public final class HeUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "HeUniform" }
    public override class var settings: (Double, Mode, Distribution) { (2, .fanIn, .uniform) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}

/// Truncated normal with standard deviation √(1 / fan_in).
public final class LecunNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "LecunNormal" }
    public override class var settings: (Double, Mode, Distribution) { (1, .fanIn, .truncatedNormal) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}

/// Uniform within ±√(3 / fan_in).
public final class LecunUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "LecunUniform" }
    public override class var settings: (Double, Mode, Distribution) { (1, .fanIn, .uniform) }
    public override init(seed: Int? = nil) { super.init(seed: seed) }
}
