import Foundation

/// Half a cosine from the initial rate down to `alpha` times it over `decay_steps`, optionally
/// after a linear warmup from the initial rate to `warmup_target` over `warmup_steps`
/// (`keras.optimizers.schedules.CosineDecay`).
public final class CosineDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "CosineDecay" }

    public let initialLearningRate: Double
    public let decaySteps: Int
    public let alpha: Double
    public let name: String
    public let warmupTarget: Double?
    public let warmupSteps: Int

    public init(initialLearningRate: Double, decaySteps: Int, alpha: Double = 0, name: String = "CosineDecay",
                warmupTarget: Double? = nil, warmupSteps: Int = 0) {
        precondition(decaySteps > 0, "CosineDecay: decaySteps must be > 0, found \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.alpha = alpha
        self.name = name
        self.warmupTarget = warmupTarget
        self.warmupSteps = warmupSteps
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "CosineDecay config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["initial_learning_rate", "decay_steps", "alpha", "name",
                                                           "warmup_target", "warmup_steps"])
        initialLearningRate = try reader.double("initial_learning_rate")
        decaySteps = try reader.positiveSteps("decay_steps")
        alpha = try reader.double("alpha", default: 0)
        name = try reader.string("name", default: "CosineDecay")
        warmupTarget = try reader.optionalDouble("warmup_target")
        warmupSteps = try reader.int("warmup_steps", default: 0)
    }

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

    override public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
         "alpha": .double(alpha), "name": .string(name), "warmup_target": warmupTarget.map { .double($0) } ?? .null,
         "warmup_steps": .int(warmupSteps)]
    }
}
