/// Keras `CosineSimilarity` loss: −Σ l2_normalize(y_true)·l2_normalize(y_pred) along `axis`,
/// between −1 (same direction) and 1; 0 when either vector is zero. Keras's `get_config` has no
/// `axis`; the constructor takes it.
@Component(.loss)
public final class CosineSimilarity: Loss {
    public override class var kerasClassName: String { "CosineSimilarity" }
    public override class var defaultName: String { "cosine_similarity" }

    @Hyper("axis", written: false) public var axis = -1

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        return -(LossMath.l2Normalized(t, axis: axis) * LossMath.l2Normalized(p, axis: axis)).sum(axes: [axis])
    }
}
