/// When ModelCheckpoint and BackupAndRestore save: at every epoch end, or every N training
/// batches counted across epochs (Keras's `save_freq="epoch"` or an integer).
public enum SaveFrequency: Equatable, Sendable, ConfigRepresentable {
    case epoch
    case batches(Int)

    /// `"epoch"` or an integer, from a Keras config.
    public init(configValue: JSONValue) throws {
        if configValue.stringValue == "epoch" { self = .epoch; return }
        guard let count = configValue.intValue else { throw ConfigMismatch("'epoch' or a positive integer") }
        self = .batches(count)
    }

    public var configValue: JSONValue {
        switch self {
        case .epoch: return "epoch"
        case .batches(let count): return .int(count)
        }
    }
}

extension HyperCheck where Value == SaveFrequency {
    /// Saving every 0 or fewer batches means nothing.
    public static var epochOrPositive: HyperCheck {
        HyperCheck("'epoch' or a positive integer") { frequency in
            guard case .batches(let count) = frequency else { return true }
            return count > 0
        }
    }
}

/// Counts training batches across epochs for `SaveFrequency.batches` (Keras's
/// `_should_save_on_batch`): a batch index that does not grow means a new epoch began.
struct BatchSaveCounter {
    private(set) var batchesSinceLastSave = 0
    private(set) var lastBatchSeen = 0

    /// Whether the batch that just ended completes another `every` batches.
    mutating func shouldSave(afterBatch batch: Int, every: Int) -> Bool {
        batchesSinceLastSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen
        lastBatchSeen = batch
        guard batchesSinceLastSave >= every else { return false }
        batchesSinceLastSave = 0
        return true
    }

    /// BackupAndRestore starts counting afresh in each epoch.
    mutating func epochEnded() { lastBatchSeen = 0 }
}
