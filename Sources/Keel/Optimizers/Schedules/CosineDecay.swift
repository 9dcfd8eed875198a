import Foundation

/// Half a cosine from the initial rate down to `alpha` times it over `decay_steps`, optionally
/// after a linear warmup from the initial rate to `warmup_target` over `warmup_steps`
/// (`keras.optimizers.schedules.CosineDecay`).
@Component(.plain)
public final class CosineDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "CosineDecay" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("decay_steps", .positive) public var decaySteps: Int
    @Hyper("alpha") public var alpha: Double = 0.0
    @Hyper("name") public var name: String = "CosineDecay"
    @Hyper("warmup_target") public var warmupTarget: Double? = nil
    @Hyper("warmup_steps", .nonNegative) public var warmupSteps: Int = 0

    override public func callAsFunction(_ step: Int) -> Float {
        let step = Double(step), decaySteps = Double(decaySteps)
        guard let warmupTarget else {
            return Float(decayed(from: initialLearningRate, step: min(step, decaySteps), over: decaySteps))
        }
        let warmupSteps = Double(warmupSteps)
        let clamped = min(step, decaySteps + warmupSteps)
        if clamped < warmupSteps {
            return Float((warmupTarget - initialLearningRate) * (clamped / warmupSteps) + initialLearningRate)
        }
        return Float(decayed(from: warmupTarget, step: clamped - warmupSteps, over: decaySteps))
    }

    private func decayed(from rate: Double, step: Double, over steps: Double) -> Double {
        let cosine = 0.5 * (1 + cos(Double.pi * step / steps))
        return rate * ((1 - alpha) * cosine + alpha)
    }
}
