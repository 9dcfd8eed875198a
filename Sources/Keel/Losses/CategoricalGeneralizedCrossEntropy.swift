/// Keras `CategoricalGeneralizedCrossEntropy` (Zhang & Sabuncu 2018): (1 − p^q) / q, p the
/// predicted probability of the true class. y_true holds integer class ids (batch,) despite the
/// name (a trailing axis of 1 is dropped); q in (0, 1) moves it from crossentropy towards MAE.
@Component(.loss)
public final class CategoricalGeneralizedCrossEntropy: Loss {
    public override class var kerasClassName: String { "CategoricalGeneralizedCrossEntropy" }
    public override class var defaultName: String { "categorical_generalized_cross_entropy" }

    @Hyper("q", .insideZeroAndOne) public var q = 0.5

    public override func checkInputs(yTrue: Tensor, yPred: Tensor) throws {
        let ids = classIDs(yTrue, yPred)
        guard yPred.rank >= 1, ids.shape == Array(yPred.shape.dropLast()) else {
            throw KeelError("CategoricalGeneralizedCrossEntropy '\(name)': y_true",
                            expected: "integer class ids shaped like y_pred without its class axis \(Array(yPred.shape.dropLast()))",
                            found: "shape \(yTrue.shape)")
        }
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        stopOnBadInputs(yTrue: yTrue, yPred: yPred)
        // Ids outside [0, classes) one-hot to zeros, so p = 0 and the loss is 1/q, as in Keras.
        let oneHot = classIDs(yTrue, yPred).cast(to: .int32).oneHot(depth: yPred.shape.last ?? 1)
        let p = (yPred * oneHot).sum(axes: [-1])
        return (1 - p.pow(Float(q))) / Float(q)
    }

    private func classIDs(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
        yTrue.rank == yPred.rank && yTrue.shape.last == 1 ? yTrue.squeezed(axes: [-1]) : yTrue
    }
}

extension HyperCheck where Value == Double {
    /// Keras's q of generalized crossentropy: 0 < q < 1.
    static var insideZeroAndOne: HyperCheck { HyperCheck("a number in (0, 1)") { $0 > 0 && $0 < 1 } }
}
