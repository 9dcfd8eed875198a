/// Keras `Huber`: ½e² where |e| ≤ delta, delta·|e| − ½delta² beyond, averaged over the last
/// axis (e = y_pred − y_true). Keras's `get_config` leaves `delta` out, so a Huber rebuilt from
/// its config has the default delta; `init(config:)` still accepts `delta` as a constructor
/// argument.
public final class Huber: Loss {
    public override class var kerasClassName: String { "Huber" }
    public let delta: Double

    public init(delta: Double = 1.0, reduction: Reduction = .sumOverBatchSize, name: String = "huber_loss") {
        self.delta = delta
        super.init(name: name, reduction: reduction)
    }

    public convenience init(config: JSONObject) throws {
        let fields = try LossConfig(config, className: Self.kerasClassName, defaultName: "huber_loss",
                                    ownFields: ["delta"])
        self.init(delta: try fields.reader.double("delta", default: 1.0), reduction: fields.reduction,
                  name: fields.name)
        reductionIsNull = fields.reductionIsNull
    }

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
