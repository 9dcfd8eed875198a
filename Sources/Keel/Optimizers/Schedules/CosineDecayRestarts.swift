import Foundation

/// Cosine decay with warm restarts, SGDR (`keras.optimizers.schedules.CosineDecayRestarts`): the
/// first period lasts `first_decay_steps`, each next one `t_mul` times longer and starting from
/// `m_mul` times the previous peak.
public final class CosineDecayRestarts: LearningRateSchedule {
    override public class var kerasClassName: String { "CosineDecayRestarts" }

    public let initialLearningRate: Double
    public let firstDecaySteps: Int
    public let tMul: Double
    public let mMul: Double
    public let alpha: Double
    public let name: String

    public init(initialLearningRate: Double, firstDecaySteps: Int, tMul: Double = 2, mMul: Double = 1,
                alpha: Double = 0, name: String = "SGDRDecay") {
        precondition(firstDecaySteps > 0, "CosineDecayRestarts: firstDecaySteps must be > 0, found \(firstDecaySteps)")
        self.initialLearningRate = initialLearningRate
        self.firstDecaySteps = firstDecaySteps
        self.tMul = tMul
        self.mMul = mMul
        self.alpha = alpha
        self.name = name
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "CosineDecayRestarts config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["initial_learning_rate", "first_decay_steps", "t_mul",
                                                           "m_mul", "alpha", "name"])
        initialLearningRate = try reader.double("initial_learning_rate")
        firstDecaySteps = try reader.positiveSteps("first_decay_steps")
        tMul = try reader.double("t_mul", default: 2)
        mMul = try reader.double("m_mul", default: 1)
        alpha = try reader.double("alpha", default: 0)
        name = try reader.string("name", default: "SGDRDecay")
    }

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

    override public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "first_decay_steps": .int(firstDecaySteps),
         "t_mul": .double(tMul), "m_mul": .double(mMul), "alpha": .double(alpha), "name": .string(name)]
    }
}
