/// The named settings of `VarianceScaling`. Keras writes only the seed (and the axes fields of
/// Keras 3.15) in their configs, since the rest is implied by the class.
@Component(.plain)
open class VarianceScalingPreset: Initializer, RandomInitializer {
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("input_axes", .fansFromShape) public var inputAxes: [Int]? = nil
    @Hyper("output_axes", .fansFromShape) public var outputAxes: [Int]? = nil

    /// Each preset supplies its fixed scale, mode and distribution.
    open class var settings: VarianceScaling.Settings {
        (1, .fanIn, .truncatedNormal)
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        let (scale, mode, distribution) = Self.settings
        return VarianceScaling.draw(shape, scale: scale, mode: mode, distribution: distribution, from: generator)
    }
}

/// Uniform within ±√(6 / (fan_in + fan_out)).
public final class GlorotUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "GlorotUniform" }
    public override class var settings: VarianceScaling.Settings { (1, .fanAvg, .uniform) }
}

/// Truncated normal with standard deviation √(2 / (fan_in + fan_out)).
public final class GlorotNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "GlorotNormal" }
    public override class var settings: VarianceScaling.Settings { (1, .fanAvg, .truncatedNormal) }
}

/// Truncated normal with standard deviation √(2 / fan_in).
public final class HeNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "HeNormal" }
    public override class var settings: VarianceScaling.Settings { (2, .fanIn, .truncatedNormal) }
}

/// Uniform within ±√(6 / fan_in).
public final class HeUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "HeUniform" }
    public override class var settings: VarianceScaling.Settings { (2, .fanIn, .uniform) }
}

/// Truncated normal with standard deviation √(1 / fan_in).
public final class LecunNormal: VarianceScalingPreset {
    public override class var kerasClassName: String { "LecunNormal" }
    public override class var settings: VarianceScaling.Settings { (1, .fanIn, .truncatedNormal) }
}

/// Uniform within ±√(3 / fan_in).
public final class LecunUniform: VarianceScalingPreset {
    public override class var kerasClassName: String { "LecunUniform" }
    public override class var settings: VarianceScaling.Settings { (1, .fanIn, .uniform) }
}
