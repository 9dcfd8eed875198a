/// Initializers whose values do not depend on chance: Keras's `Zeros`, `Ones`, `Constant` and
/// `Identity`.
public final class Zeros: Initializer {
    public override class var kerasClassName: String { "Zeros" }
    public override func callAsFunction(_ shape: [Int]) -> Tensor { .zeros(shape) }
}

public final class Ones: Initializer {
    public override class var kerasClassName: String { "Ones" }
    public override func callAsFunction(_ shape: [Int]) -> Tensor { .ones(shape) }
}

@Component(.plain)
public final class Constant: Initializer {
    public override class var kerasClassName: String { "Constant" }

    @Hyper("value") public var value: Double = 0.0

    public override func callAsFunction(_ shape: [Int]) -> Tensor { Tensor(repeating: Float(value), shape: shape) }
}

/// `gain` times the identity matrix; rectangular shapes get ones on the main diagonal, as
/// Keras's `ops.eye(rows, columns)`. Only 2-D shapes have an identity.
@Component(.plain)
public final class Identity: Initializer {
    public override class var kerasClassName: String { "Identity" }

    @Hyper("gain") public var gain: Double = 1.0

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        opCheck(shape.count == 2, "Identity initializer: only 2-D shapes have an identity, got shape \(shape)")
        var values = [Float](repeating: 0, count: shape[0] * shape[1])
        for i in 0..<min(shape[0], shape[1]) { values[i * shape[1] + i] = Float(gain) }
        return Tensor(shape: shape, scalars: values)
    }
}
