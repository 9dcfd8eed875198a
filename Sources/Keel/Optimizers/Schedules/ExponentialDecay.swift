import Foundation

/// `lr₀ · rate^(step / decay_steps)`, the exponent floored when `staircase`
/// (`keras.optimizers.schedules.ExponentialDecay`).
public final class ExponentialDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "ExponentialDecay" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("decay_steps", .positive) public var decaySteps: Int
    @Hyper("decay_rate") public var decayRate: Double
    @Hyper("staircase") public var staircase: Bool = false
    @Hyper("name") public var name: String = "ExponentialDecay"

    // @Component(.plain) expansion begin
    public convenience init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false, name: String = "ExponentialDecay") {
        self.init()
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
        self.didConfigure()
    }
    // @Component(.plain) expansion end

    override public func callAsFunction(_ step: Int) -> Float {
        var exponent = Double(step) / Double(decaySteps)
        if staircase { exponent.round(.down) }
        return Float(initialLearningRate * pow(decayRate, exponent))
    }
}
