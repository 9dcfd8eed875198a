/// Keras `Huber`: ½e² where |e| ≤ delta, delta·|e| − ½delta² beyond, averaged over the last
/// axis (e = y_pred − y_true). Keras's `get_config` leaves `delta` out, so a Huber rebuilt from
/// its config has the default delta; a config may still give `delta`, as Keras's constructor takes it.
@Component(.loss)
public final class Huber: Loss {
    public override class var kerasClassName: String { "Huber" }
    public override class var defaultName: String { "huber_loss" }

    @Hyper("delta", written: false) public var delta = 1.0

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let d = Float(delta)
        let error = p - t
        let absoluteError = error.abs()
        let quadratic = error.squared() * 0.5
        let linear = absoluteError * d - 0.5 * d * d
        return `where`(absoluteError.lessEqual(Tensor(d)), quadratic, linear).mean(axis: -1)
    }
}
