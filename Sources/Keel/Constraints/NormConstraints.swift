/// Keras's `MaxNorm`, `MinMaxNorm` and `UnitNorm`: each rescales the weight so that its L2 norms
/// over `axis` (kept as size-1 dimensions, so every slice along the other axes has its own norm)
/// reach a desired value. As in Keras the division is by `epsilon + norm` (epsilon 1e-7), so an
/// all-zero slice stays zero. With a `Dense` kernel (in, out) `axis` 0 constrains each unit's
/// incoming weights; with a `Conv2D` kernel (kh, kw, in, out), `[0, 1, 2]` each filter. The bounds
/// keep the int or float form they were given in, as Keras's configs do.
@Component(.plain)
public final class MaxNorm: Constraint {
    public override class var kerasClassName: String { "MaxNorm" }

    @Hyper("max_value", .nonNegative) public var maxValue: PythonNumber = 2
    @Hyper("axis", .someAxis) public var axis: Axes = 0

    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        let norms = WeightNorms.of(weight, over: axis)
        return weight * (norms.clipped(min: 0, max: Float(maxValue.value)) / (norms + WeightNorms.epsilon))
    }

    public override func problem(forWeightShape shape: [Int]) -> String? { axis.problem(forRank: shape.count) }
}

@Component(.plain)
public final class MinMaxNorm: Constraint {
    public override class var kerasClassName: String { "MinMaxNorm" }

    @Hyper("min_value", .nonNegative) public var minValue: PythonNumber = 0.0
    @Hyper("max_value", .nonNegative) public var maxValue: PythonNumber = 1.0
    /// 1 enforces the bounds at once; below 1 each step moves the norms that far towards them.
    @Hyper("rate", .inRange(0...1)) public var rate: PythonNumber = 1.0
    @Hyper("axis", .someAxis) public var axis: Axes = 0

    public override func check() throws {
        try super.check()
        guard minValue <= maxValue else {
            throw KeelError("\(Self.kerasClassName): fields 'min_value', 'max_value'", expected: "min_value ≤ max_value",
                            found: "\(minValue) > \(maxValue)")
        }
    }

    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        let norms = WeightNorms.of(weight, over: axis)
        let desired = norms.clipped(min: Float(minValue.value), max: Float(maxValue.value)) * Float(rate.value)
            + norms * Float(1 - rate.value)
        return weight * (desired / (norms + WeightNorms.epsilon))
    }

    public override func problem(forWeightShape shape: [Int]) -> String? { axis.problem(forRank: shape.count) }
}

@Component(.plain)
public final class UnitNorm: Constraint {
    public override class var kerasClassName: String { "UnitNorm" }

    @Hyper("axis", .someAxis) public var axis: Axes = 0

    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        weight / (WeightNorms.of(weight, over: axis) + WeightNorms.epsilon)
    }

    public override func problem(forWeightShape shape: [Int]) -> String? { axis.problem(forRank: shape.count) }
}

/// The L2 norms the norm constraints share, in Keras's float32 operation order.
enum WeightNorms {
    /// Keras's `backend.epsilon()`.
    static let epsilon: Float = 1e-7

    /// sqrt(Σ w²) over `axes`, with those axes kept as size 1.
    static func of(_ weight: Tensor, over axes: Axes) -> Tensor {
        weight.squared().sum(axes: axes.values, keepDims: true).sqrt()
    }
}

extension HyperCheck where Value == Axes {
    /// At least one axis to take norms over.
    static var someAxis: HyperCheck { HyperCheck("an axis or a non-empty list of axes") { !$0.values.isEmpty } }
}

extension Axes {
    /// Why these axes do not fit a tensor of this rank (out of range, or one named twice), or nil.
    func problem(forRank rank: Int) -> String? {
        let normalized = values.map { $0 < 0 ? $0 + rank : $0 }
        if let bad = zip(values, normalized).first(where: { !(0..<rank).contains($0.1) })?.0 {
            return "axis \(bad) is out of range for a weight of rank \(rank)"
        }
        if Set(normalized).count != normalized.count { return "axes \(values) name one axis twice" }
        return nil
    }
}
