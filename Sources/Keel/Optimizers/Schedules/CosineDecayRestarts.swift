import Foundation

/// Cosine decay with warm restarts, SGDR (`keras.optimizers.schedules.CosineDecayRestarts`): the
/// first period lasts `first_decay_steps`, each next one `t_mul` times longer and starting from
/// `m_mul` times the previous peak.
@Component(.plain)
public final class CosineDecayRestarts: LearningRateSchedule {
    override public class var kerasClassName: String { "CosineDecayRestarts" }

    @Hyper("initial_learning_rate") public var initialLearningRate: Double
    @Hyper("first_decay_steps", .positive) public var firstDecaySteps: Int
    @Hyper("t_mul", .positive) public var tMul: Double = 2.0
    @Hyper("m_mul") public var mMul: Double = 1.0
    @Hyper("alpha") public var alpha: Double = 0.0
    @Hyper("name") public var name: String = "SGDRDecay"

    override public func callAsFunction(_ step: Int) -> Float {
        var fraction = Double(step) / Double(firstDecaySteps)
        let restart: Double
        if tMul == 1 {
            restart = fraction.rounded(.down)
            fraction -= restart
        } else {
            // Periods grow geometrically: restart i begins after (tMul^i − 1)/(tMul − 1) first periods.
            restart = (log(1 - fraction * (1 - tMul)) / log(tMul)).rounded(.down)
            let completedPeriods = (1 - pow(tMul, restart)) / (1 - tMul)
            fraction = (fraction - completedPeriods) / pow(tMul, restart)
        }
        let cosine = 0.5 * pow(mMul, restart) * (1 + cos(Double.pi * fraction))
        return Float(initialLearningRate * ((1 - alpha) * cosine + alpha))
    }
}
