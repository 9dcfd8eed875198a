/// `values[0]` up to and including `boundaries[0]`, `values[i]` for steps in
/// (`boundaries[i-1]`, `boundaries[i]`], `values.last` after the last boundary
/// (`keras.optimizers.schedules.PiecewiseConstantDecay`).
@Component(.plain)
public final class PiecewiseConstantDecay: LearningRateSchedule {
    override public class var kerasClassName: String { "PiecewiseConstantDecay" }

    /// Steps are integers, and Keras casts the boundaries to the step's type.
    @Hyper("boundaries") public var boundaries: [Int]
    @Hyper("values") public var values: [Double]
    @Hyper("name") public var name: String = "PiecewiseConstant"

    /// Keras raises unless there is one more value than boundaries.
    override public func check() throws {
        try super.check()
        guard values.count == boundaries.count + 1 else {
            throw KeelError("PiecewiseConstantDecay: field 'values'",
                            expected: "\(boundaries.count + 1) values (one more than the boundaries)", found: "\(values.count)")
        }
    }

    override public func callAsFunction(_ step: Int) -> Float {
        let interval = boundaries.firstIndex { step <= $0 } ?? boundaries.count
        return Float(values[min(interval, values.count - 1)])
    }
}
