import Foundation

/// `lr₀ · rate^(step / decay_steps)`, the exponent floored when `staircase`
/// (`keras.optimizers.schedules.ExponentialDecay`).
@Component(.plain)
public final class ExponentialDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "ExponentialDecay" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("decay_steps", .positive) public var decaySteps: Int
    @Hyper("decay_rate") public var decayRate: Double
    @Hyper("staircase") public var staircase: Bool = false
    @Hyper("name") public var name: String = "ExponentialDecay"

    override public func callAsFunction(_ step: Int) -> Float {
        var exponent = Double(step) / Double(decaySteps)
        if staircase { exponent.round(.down) }
        return Float(initialLearningRate * pow(decayRate, exponent))
    }
}
