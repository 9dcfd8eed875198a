import Foundation

/// `(lr₀ − end) · (1 − step/decay_steps)^power + end`, the step held at `decay_steps`, or with
/// `cycle` the decay restarted over the next multiple of `decay_steps`
/// (`keras.optimizers.schedules.PolynomialDecay`).
@Component(.plain)
public final class PolynomialDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "PolynomialDecay" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("decay_steps", .positive) public var decaySteps: Int
    @Hyper("end_learning_rate") public var endLearningRate: Double = 0.0001
    @Hyper("power") public var power: Double = 1.0
    @Hyper("cycle") public var cycle: Bool = false
    @Hyper("name") public var name: String = "PolynomialDecay"

    override public func callAsFunction(_ step: Int) -> Float {
        var step = Double(step)
        var horizon = Double(decaySteps)
        if cycle {
            // The first multiple of decay_steps at or past the step (one period at step 0).
            horizon *= step == 0 ? 1 : (step / horizon).rounded(.up)
        } else {
            step = min(step, horizon)
        }
        let remaining = 1 - step / horizon
        return Float((initialLearningRate - endLearningRate) * pow(remaining, power) + endLearningRate)
    }
}
