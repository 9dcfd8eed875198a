/// Horovod's `BroadcastGlobalVariablesCallback`: before the first training step, every rank takes
/// rank `root_rank`'s model weights and optimizer state, so a job whose ranks started from
/// different values (another seed, a restored backup on rank 0 only) trains one model. `fit`
/// adds one by itself in a distributed job.
///
/// The broadcast happens at the first batch, after every callback's `onTrainBegin`: a
/// BackupAndRestore anywhere in the list has restored by then, so a resumed job continues from
/// rank 0's state. The optimizer's variables are built first, so their values travel too.
@Component(.plain)
public final class BroadcastGlobalVariables: Callback {
    public override class var kerasClassName: String { "BroadcastGlobalVariables" }

    @Hyper("root_rank", .nonNegative) public var rootRank: Int = 0

    private var done = false

    public override func onTrainBegin(logs: Logs) throws {
        done = false
        guard rootRank < Distributed.size else {
            throw KeelError("BroadcastGlobalVariables root_rank", expected: "a rank of the job, 0..<\(Distributed.size)",
                            found: "\(rootRank)")
        }
    }

    public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
        try super.onTrainBatchBegin(batch, logs: logs)
        // A model built by its first forward pass has no weights yet: then after that step.
        if model?.isBuilt != false { try broadcast() }
    }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        try super.onTrainBatchEnd(batch, logs: logs)
        try broadcast()
    }

    private func broadcast() throws {
        guard !done, Distributed.isActive, let model else { return }
        done = true
        var variables = model.weights
        if let optimizer = model.optimizer {
            optimizer.buildIfNeeded(for: model.trainableWeights)
            variables += optimizer.variables
        }
        try Distributed.broadcast(variables, root: rootRank, name: "broadcast of the model's variables")
    }
}
