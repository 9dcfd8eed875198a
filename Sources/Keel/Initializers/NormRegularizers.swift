/// Keras's `L1`, `L2` and `L1L2` penalties: `l1·Σ|w|` and `l2·Σw²`. The single-norm classes
/// default to 0.01; `L1L2` defaults to 0 for both, as in Keras (so the string "l1_l2" adds nothing
/// until given factors).
@Component(.plain)
public final class L1: Regularizer {
    public override class var kerasClassName: String { "L1" }

    @Hyper("l1", .penaltyFactor) public var l1: Double = 0.01

    public override func callAsFunction(_ weight: Tensor) -> Tensor { weight.abs().sum() * Float(l1) }
}

@Component(.plain)
public final class L2: Regularizer {
    public override class var kerasClassName: String { "L2" }

    @Hyper("l2", .penaltyFactor) public var l2: Double = 0.01

    public override func callAsFunction(_ weight: Tensor) -> Tensor { weight.squared().sum() * Float(l2) }
}

@Component(.plain)
public final class L1L2: Regularizer {
    public override class var kerasClassName: String { "L1L2" }

    @Hyper("l1", .penaltyFactor) public var l1: Double = 0.0
    @Hyper("l2", .penaltyFactor) public var l2: Double = 0.0

    /// Only the terms with a nonzero factor are computed, as Keras does.
    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        var penalty = Tensor(0)
        if l1 != 0 { penalty = penalty + weight.abs().sum() * Float(l1) }
        if l2 != 0 { penalty = penalty + weight.squared().sum() * Float(l2) }
        return penalty
    }
}

/// Reading a penalty factor by hand (ActivityRegularization's): Keras accepts null for "use the
/// default" and rejects negatives.
enum RegularizerFactor {
    static func read(_ key: String, default fallback: Double, _ reader: ConfigReader) throws -> Double {
        let value = try reader.double(key, default: fallback)
        guard value >= 0 && value.isFinite else {
            throw KeelError("\(reader.owner): field '\(key)'", expected: "a non-negative number", found: "\(value)")
        }
        return value
    }
}
