#if canImport(Glibc)
import Glibc
#endif

/// Keras `LogCosh`: mean over the last axis of log(cosh(y_pred − y_true)), computed as
/// x + softplus(−2x) − log 2 so large errors do not overflow.
public final class LogCosh: Loss {
    public override class var kerasClassName: String { "LogCosh" }

    public init(reduction: Reduction = .sumOverBatchSize, name: String = "log_cosh") {
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "log_cosh")
        self.init(reduction: fields.reduction, name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

    public override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = LossMath.aligned(yTrue, yPred)
        let x = p - t
        return (x + (x * -2).softplus() - Float(Glibc.log(2.0))).mean(axis: -1)
    }
}
