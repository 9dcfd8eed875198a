/// `lr₀ / (1 + rate · step / decay_steps)`, the ratio floored when `staircase`
/// (`keras.optimizers.schedules.InverseTimeDecay`).
public final class InverseTimeDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "InverseTimeDecay" }

    public let initialLearningRate: Double
    public let decaySteps: Int
    public let decayRate: Double
    public let staircase: Bool
    public let name: String

    public init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false,
                name: String = "InverseTimeDecay") {
        precondition(decaySteps > 0, "InverseTimeDecay: decaySteps must be > 0, found \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
        self.name = name
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "InverseTimeDecay config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["initial_learning_rate", "decay_steps", "decay_rate",
                                                           "staircase", "name"])
        initialLearningRate = try reader.double("initial_learning_rate")
        decaySteps = try reader.positiveSteps("decay_steps")
        decayRate = try reader.double("decay_rate")
        staircase = try reader.bool("staircase", default: false)
        name = try reader.string("name", default: "InverseTimeDecay")
    }

    override public func callAsFunction(_ step: Int) -> Float {
        var ratio = Double(step) / Double(decaySteps)
        if staircase { ratio.round(.down) }
        return Float(initialLearningRate / (1 + decayRate * ratio))
    }

    override public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
         "decay_rate": .double(decayRate), "staircase": .bool(staircase), "name": .string(name)]
    }
}
