/// When ModelCheckpoint and BackupAndRestore save: at every epoch end, or every N training
/// batches counted across epochs (Keras's `save_freq="epoch"` or an integer).
public enum SaveFrequency: Equatable, Sendable {
    case epoch
    case batches(Int)

    /// `"epoch"` or a positive integer, from a Keras config.
    init(config reader: ConfigReader) throws {
        guard let value = reader.value("save_freq") else { self = .epoch; return }
        if value.stringValue == "epoch" { self = .epoch; return }
        guard let count = value.intValue, count > 0 else {
            throw KeelError("\(reader.owner): field 'save_freq'", expected: "'epoch' or a positive integer", found: value.summary)
        }
        self = .batches(count)
    }

    var configValue: JSONValue {
        switch self {
        case .epoch: return "epoch"
        case .batches(let count): return .int(count)
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
