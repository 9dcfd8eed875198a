import Foundation

/// `(lr₀ − end) · (1 − step/decay_steps)^power + end`, the step held at `decay_steps`, or with
/// `cycle` the decay restarted over the next multiple of `decay_steps`
/// (`keras.optimizers.schedules.PolynomialDecay`).
public final class PolynomialDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "PolynomialDecay" }

    public let initialLearningRate: Double
    public let decaySteps: Int
    public let endLearningRate: Double
    public let power: Double
    public let cycle: Bool
    public let name: String

    public init(initialLearningRate: Double, decaySteps: Int, endLearningRate: Double = 0.0001, power: Double = 1,
                cycle: Bool = false, name: String = "PolynomialDecay") {
        precondition(decaySteps > 0, "PolynomialDecay: decaySteps must be > 0, found \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.endLearningRate = endLearningRate
        self.power = power
        self.cycle = cycle
        self.name = name
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "PolynomialDecay config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["initial_learning_rate", "decay_steps", "end_learning_rate",
                                                           "power", "cycle", "name"])
        initialLearningRate = try reader.double("initial_learning_rate")
        decaySteps = try reader.positiveSteps("decay_steps")
        endLearningRate = try reader.double("end_learning_rate", default: 0.0001)
        power = try reader.double("power", default: 1)
        cycle = try reader.bool("cycle", default: false)
        name = try reader.string("name", default: "PolynomialDecay")
    }

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

    override public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps),
         "end_learning_rate": .double(endLearningRate), "power": .double(power), "cycle": .bool(cycle),
         "name": .string(name)]
    }
}
