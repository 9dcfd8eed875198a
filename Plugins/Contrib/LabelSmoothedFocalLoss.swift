import Keel

/// The seed's focal loss with label smoothing: targets y become y(1 − s) + s/2, then per element
/// −α·y·(1 − p)^γ·log p − (1 − α)·(1 − y)·p^γ·log(1 − p) with p clipped to [ε, 1 − ε], summed over
/// the last axis and averaged over the batch. Smoothing keeps the loss from pushing confident
/// predictions all the way to 0 or 1 on noisy labels.
@Component(.loss)
final class LabelSmoothedFocalLoss: Loss {
    override class var kerasClassName: String { "LabelSmoothedFocalLoss" }
    override class var defaultName: String { "label_smoothed_focal_loss" }

    @Hyper("alpha", .inRange(0...1)) var alpha = 0.75
    @Hyper("gamma", .nonNegative) var gamma = 2.0
    @Hyper("smoothing", .inRange(0...1)) var smoothing = 0.1

    override func values(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let alpha = Float(self.alpha), gamma = Float(self.gamma), smoothing = Float(self.smoothing)
        let y = yTrue * (1 - smoothing) + smoothing / 2
        let p = yPred.clipped(min: 1e-7, max: 1 - 1e-7)
        let positive = y * alpha * (1 - p).pow(gamma) * p.log()
        let negative = (1 - y) * (1 - alpha) * p.pow(gamma) * (1 - p).log()
        return -(positive + negative).sum(axes: [-1])
    }
}
