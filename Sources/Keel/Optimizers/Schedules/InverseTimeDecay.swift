/// `lr₀ / (1 + rate · step / decay_steps)`, the ratio floored when `staircase`
/// (`keras.optimizers.schedules.InverseTimeDecay`).
@Component(.plain)
public final class InverseTimeDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "InverseTimeDecay" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("decay_steps", .positive) public var decaySteps: Int
    @Hyper("decay_rate") public var decayRate: Double
    @Hyper("staircase") public var staircase: Bool = false
    @Hyper("name") public var name: String = "InverseTimeDecay"

    override public func callAsFunction(_ step: Int) -> Float {
        var ratio = Double(step) / Double(decaySteps)
        if staircase { ratio.round(.down) }
        return Float(initialLearningRate / (1 + decayRate * ratio))
    }
}
