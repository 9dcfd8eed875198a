/// Keras's overlap losses for segmentation masks, 1 − a ratio of soft overlaps summed over
/// `axis`: with `axis` null over every axis, to one batch-level value (which a sample weight then
/// multiplies once per weight, as Keras broadcasts it); `axis` -1 gives one value per row,
/// a list one value per sample of a higher-rank input.

/// Keras `Dice`: 1 − 2Σ(y·p) / (Σy + Σp + ε).
@Component(.loss)
public final class Dice: Loss {
    public override class var kerasClassName: String { "Dice" }
    public override class var defaultName: String { "dice" }

    @Hyper("axis") public var axis: Axes? = nil

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        try OverlapSums.checkInputs(yTrue, yPred, axis: axis, owner: "Dice '\(name)'")
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        stopOnBadInputs(yTrue: yTrue, yPred: yPred)
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let axes = axis?.values
        let intersection = (t * p).sum(axes: axes)
        return 1 - 2 * intersection / (t.sum(axes: axes) + p.sum(axes: axes) + LossMath.epsilon)
    }
}

/// Keras `Tversky`: 1 − Σ(y·p) / (Σ(y·p) + α·Σ((1 − p)·y) + β·Σ(p·(1 − y)) + ε); α = β = 0.5 is Dice.
@Component(.loss)
public final class Tversky: Loss {
    public override class var kerasClassName: String { "Tversky" }
    public override class var defaultName: String { "tversky" }

    @Hyper("alpha") public var alpha = 0.5
    @Hyper("beta") public var beta = 0.5
    @Hyper("axis") public var axis: Axes? = nil

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        try OverlapSums.checkInputs(yTrue, yPred, axis: axis, owner: "Tversky '\(name)'")
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        stopOnBadInputs(yTrue: yTrue, yPred: yPred)
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let axes = axis?.values
        let intersection = (t * p).sum(axes: axes)
        let missed = ((1 - p) * t).sum(axes: axes)
        let extra = (p * (1 - t)).sum(axes: axes)
        return 1 - intersection / (intersection + missed * Float(alpha) + extra * Float(beta) + LossMath.epsilon)
    }
}

enum OverlapSums {
    static func checkInputs(_ yTrue: Tensor, _ yPred: Tensor, axis: Axes?, owner: String) throws {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        guard ShapeMath.broadcast(t.shape, p.shape) != nil else {
            throw KeelError("\(owner): y_true and y_pred", expected: "shapes that broadcast together",
                            found: "y_true \(yTrue.shape), y_pred \(yPred.shape)")
        }
        let rank = Swift.max(t.rank, p.rank)
        if let bad = axis?.values.first(where: { $0 < -rank || $0 >= rank }) {
            throw KeelError("\(owner): field 'axis'", expected: "axes of an input of rank \(rank)", found: "\(bad)")
        }
    }
}
