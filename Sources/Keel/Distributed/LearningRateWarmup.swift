/// Horovod's `LearningRateWarmupCallback`: a job of N ranks trains with N times the batch, so it
/// is usually given N times the learning rate (`Distributed.scaledLearningRate`); starting at
/// that rate can diverge. This callback starts at `initial_lr / N` and raises the rate after
/// every batch, linearly, to `initial_lr` at the end of epoch `warmup_epochs` (Goyal et al.,
/// "Accurate, Large Minibatch SGD"); later epochs keep whatever the optimizer has. On one rank
/// it holds the rate at `initial_lr`.
///
/// `initial_lr` is the target (already scaled) rate: it is given, not read from the optimizer,
/// so a run resumed in the middle of the warm-up continues the same ramp. Horovod's momentum
/// correction is not applied.
@Component(.plain)
public final class LearningRateWarmup: Callback {
    public override class var kerasClassName: String { "LearningRateWarmup" }

    @Hyper("initial_lr", .positive) public var initialLearningRate: Double
    @Hyper("warmup_epochs", .nonNegative) public var warmupEpochs: Int = 5
    /// Batches per epoch; nil takes `fit`'s.
    @Hyper("steps_per_epoch") public var stepsPerEpoch: Int? = nil
    @Hyper("verbose") public var verbose: Int = 0

    public var output: (String) -> Void = CallbackMessages.standardOutput
    private var epoch = 0

    public override func check() throws {
        try super.check()
        if let stepsPerEpoch, stepsPerEpoch <= 0 {
            throw KeelError("LearningRateWarmup steps_per_epoch", expected: "a positive number", found: "\(stepsPerEpoch)")
        }
    }

    /// The rate for batch `batch` of epoch `epoch` (0-based) in a job of `size` ranks.
    public func rate(epoch: Int, batch: Int, steps: Int, size: Int) -> Double {
        // Horovod counts the batch as done, so the last batch of the warm-up reaches the target.
        let progress = Double(epoch) + Double(batch + 1) / Double(max(1, steps))
        let n = Double(size)
        guard warmupEpochs > 0, progress < Double(warmupEpochs) else { return initialLearningRate }
        return initialLearningRate / n * (progress * (n - 1) / Double(warmupEpochs) + 1)
    }

    public override func onEpochBegin(_ epoch: Int, logs: Logs) { self.epoch = epoch }

    public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
        try super.onTrainBatchBegin(batch, logs: logs)
        guard epoch < warmupEpochs, let optimizer = model?.optimizer else { return }
        let steps = stepsPerEpoch ?? params.steps ?? 1
        try LearningRateAssignment.set(rate(epoch: epoch, batch: batch, steps: steps, size: Distributed.size),
                                       on: optimizer, by: "LearningRateWarmup")
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        if verbose > 0, epoch == warmupEpochs - 1, let optimizer = model?.optimizer {
            output("\nEpoch \(epoch + 1): finished gradual learning rate warmup to "
                   + "\(JSONValue.pythonRepr(Double(optimizer.currentLearningRate))).")
        }
    }
}
