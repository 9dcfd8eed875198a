/// Stops training at the first batch whose loss is NaN or infinite (Keras's `TerminateOnNaN`).
@Component(.plain)
public final class TerminateOnNaN: Callback {
    public override class var kerasClassName: String { "TerminateOnNaN" }

    /// Keras raises a RuntimeError instead of stopping gracefully, so that no other callback's
    /// `on_train_end` runs (a backup is not deleted, for instance); Keel's `fit` throws the
    /// same message.
    @Hyper("raise_error") public var raiseError: Bool = false

    public var output: (String) -> Void = CallbackMessages.standardOutput

    public override func onBatchEnd(_ batch: Int, logs: Logs) throws {
        guard let loss = logs["loss"], !loss.isFinite else { return }
        if raiseError {
            throw KeelError("NaN or Inf loss encountered at batch \(batch). Loss value: \(PythonText.str(loss)). Terminating training immediately.")
        }
        output("Batch \(batch): Invalid loss, terminating training")
        model?.stopTraining = true
    }
}
