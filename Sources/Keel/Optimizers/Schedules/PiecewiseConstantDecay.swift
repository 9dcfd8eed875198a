/// `values[0]` up to and including `boundaries[0]`, `values[i]` for steps in
/// (`boundaries[i-1]`, `boundaries[i]`], `values.last` after the last boundary
/// (`keras.optimizers.schedules.PiecewiseConstantDecay`).
public final class PiecewiseConstantDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "PiecewiseConstantDecay" }

    /// Steps are integers, and Keras casts the boundaries to the step's type.
    public let boundaries: [Int]
    public let values: [Double]
    public let name: String

    public init(boundaries: [Int], values: [Double], name: String = "PiecewiseConstant") {
        precondition(values.count == boundaries.count + 1,
                     "PiecewiseConstantDecay: \(values.count) values for \(boundaries.count) boundaries; need one more value")
        self.boundaries = boundaries
        self.values = values
        self.name = name
    }

    public init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "PiecewiseConstantDecay config")
        try ConfigFieldCheck.rejectUnknown(reader, known: ["boundaries", "values", "name"])
        boundaries = try reader.ints("boundaries")
        values = try reader.doubles("values")
        name = try reader.string("name", default: "PiecewiseConstant")
        guard values.count == boundaries.count + 1 else {
            throw KeelError("PiecewiseConstantDecay config: field 'values'",
                            expected: "\(boundaries.count + 1) values (one more than the boundaries)",
                            found: "\(values.count)")
        }
    }

    override public func callAsFunction(_ step: Int) -> Float {
        let interval = boundaries.firstIndex { step <= $0 } ?? boundaries.count
        return Float(values[interval])
    }

    override public var config: JSONObject {
        ["boundaries": .from(boundaries), "values": .array(values.map { .double($0) }), "name": .string(name)]
    }
}
