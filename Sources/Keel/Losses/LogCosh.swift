#if canImport(Glibc)
import Glibc
#endif

/// Keras `LogCosh`: mean over the last axis of log(cosh(y_pred − y_true)), computed as
/// x + softplus(−2x) − log 2 so large errors do not overflow.
public final class LogCosh: Loss {
    public override class var kerasClassName: String { "LogCosh" }
    public override class var defaultName: String { "log_cosh" }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let x = p - t
        return (x + (x * -2).softplus() - Float(Glibc.log(2.0))).mean(axis: -1)
    }
}
