import Keel

/// The seed's focal loss with label smoothing: targets y become y(1 − s) + s/2, then per element
/// −α·y·(1 − p)^γ·log p − (1 − α)·(1 − y)·p^γ·log(1 − p) with p clipped to [ε, 1 − ε], summed over
/// the last axis and averaged over the batch. Smoothing keeps the loss from pushing confident
/// predictions all the way to 0 or 1 on noisy labels.
final class LabelSmoothedFocalLoss: Loss {
    override class var kerasClassName: String { "LabelSmoothedFocalLoss" }
    let alpha: Float
    let gamma: Float
    let smoothing: Float

    init(alpha: Float = 0.75, gamma: Float = 2, smoothing: Float = 0.1) {
        self.alpha = alpha
        self.gamma = gamma
        self.smoothing = smoothing
        super.init(name: "label_smoothed_focal_loss", reduction: .sumOverBatchSize)
    }

    convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "LabelSmoothedFocalLoss config")
        self.init(alpha: try reader.float("alpha", default: 0.75), gamma: try reader.float("gamma", default: 2),
                  smoothing: try reader.float("smoothing", default: 0.1))
    }

    override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let y = yTrue * (1 - smoothing) + smoothing / 2
        let p = yPred.clipped(min: 1e-7, max: 1 - 1e-7)
        let positive = y * alpha * (1 - p).pow(gamma) * p.log()
        let negative = (1 - y) * (1 - alpha) * p.pow(gamma) * (1 - p).log()
        return -(positive + negative).sum(axes: [-1])
    }

    override var config: JSONObject {
        ["alpha": .double(Double(alpha)), "gamma": .double(Double(gamma)), "smoothing": .double(Double(smoothing))]
    }
}
