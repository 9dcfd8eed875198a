import Foundation

/// `lr₀ · rate^(step / decay_steps)`, the exponent floored when `staircase`
/// (`keras.optimizers.schedules.ExponentialDecay`).
public final class ExponentialDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "ExponentialDecay" }

    public let initialLearningRate: Double
    public let decaySteps: Int
    public let decayRate: Double
    public let staircase: Bool
    public let name: String

    public init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
                name: String = "ExponentialDecay") {
        precondition(decaySteps > 0, "ExponentialDecay: decaySteps must be > 0, found \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "ExponentialDecay config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["initial_learning_rate", "decay_steps", "decay_rate",
                                                           "staircase", "name"])
        initialLearningRate = try reader.double("initial_learning_rate")
        decaySteps = try reader.positiveSteps("decay_steps")
        decayRate = try reader.double("decay_rate")
        staircase = try reader.bool("staircase", default: false)
        name = try reader.string("name", default: "ExponentialDecay")
    }

    override public func callAsFunction(_ step: Int) -> Float {
        var exponent = Double(step) / Double(decaySteps)
        if staircase { exponent.round(.down) }
        return Float(initialLearningRate * pow(decayRate, exponent))
    }

    override public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
         "decay_rate": .double(decayRate), "staircase": .bool(staircase), "name": .string(name)]
    }
}
