import Foundation

/// Keeps a backup of the training state so an interrupted `fit` can pick up where it stopped
/// (Keras's `BackupAndRestore`, keras-spec §6.7): after every epoch (or every N batches) the
/// weights and optimizer state go to `<backupDirectory>/latest.weights.h5` and the position to
/// `training_metadata.json` (`{"epoch": <next epoch>, "batch": <last batch seen>}`). At the start
/// of training both are read back; `restoredEpoch` is the epoch to continue from. The directory
/// is deleted when training completes, unless `deleteCheckpoint` is false.
public final class BackupAndRestore: Callback {
    public override class var kerasClassName: String { "BackupAndRestore" }

    public let backupDirectory: String
    public let saveFrequency: SaveFrequency
    /// Keep the previous backup as `*.bkp`, to fall back on when the latest cannot be read.
    public let doubleCheckpoint: Bool
    public let deleteCheckpoint: Bool
    /// The epoch the saved metadata says training continues from (nil: nothing was restored).
    public private(set) var restoredEpoch: Int?

    private var counter = BatchSaveCounter()
    private var nextEpoch = 0

    public init(backupDirectory: String, saveFrequency: SaveFrequency = .epoch, doubleCheckpoint: Bool = false,
                deleteCheckpoint: Bool = true) throws {
        guard !backupDirectory.isEmpty else {
            throw KeelError("BackupAndRestore backup directory", expected: "a directory path", found: "an empty string")
        }
        if case .batches(let count) = saveFrequency, count <= 0 {
            throw KeelError("BackupAndRestore saveFrequency", expected: "a positive number of batches", found: "\(count)")
        }
        self.backupDirectory = backupDirectory
        self.saveFrequency = saveFrequency
        self.doubleCheckpoint = doubleCheckpoint
        self.deleteCheckpoint = deleteCheckpoint
        super.init()
    }

    public var weightsPath: String { file("latest.weights.h5") }
    public var metadataPath: String { file("training_metadata.json") }
    var previousWeightsPath: String { weightsPath + ".bkp" }
    var previousMetadataPath: String { metadataPath + ".bkp" }

    private func file(_ name: String) -> String {
        URL(fileURLWithPath: backupDirectory).appendingPathComponent(name).path
    }

    public override func onTrainBegin(logs: Logs) {
        let files = FileManager.default
        do {
            do {
                try restore()
            } catch where files.fileExists(atPath: previousWeightsPath) {
                // The latest backup may have been cut short by the crash: fall back on the one before.
                try replace(weightsPath, with: previousWeightsPath)
                if files.fileExists(atPath: previousMetadataPath) {
                    try replace(metadataPath, with: previousMetadataPath)
                } else if files.fileExists(atPath: metadataPath) {
                    try files.removeItem(atPath: metadataPath)
                }
                try restore()
            }
        } catch {
            preconditionFailure("BackupAndRestore: the backup in \(backupDirectory) cannot be restored: \(error)")
        }
    }

    /// Loads the weights (and optimizer state) and reads the epoch to continue from.
    func restore() throws {
        guard let model else { preconditionFailure("BackupAndRestore: no model is attached") }
        guard model.isBuilt else {
            throw KeelError("BackupAndRestore model '\(model.name)'", expected: "a model built before fit (give it an input shape)",
                            found: "an unbuilt model")
        }
        restoredEpoch = nil
        if FileManager.default.fileExists(atPath: weightsPath) {
            // The optimizer's slots must exist for the saved optimizer state to be loaded into them.
            model.optimizer?.buildIfNeeded(for: model.trainableWeights)
            try model.loadWeights(from: weightsPath)
        }
        guard FileManager.default.fileExists(atPath: metadataPath) else { return }
        let bytes = try FileBytes.read(metadataPath, what: "training metadata")
        let metadata = try JSONValue.parse(String(decoding: bytes, as: UTF8.self), source: metadataPath)
        guard let epoch = metadata.objectValue?["epoch"]?.intValue, epoch >= 0 else {
            throw KeelError("\(metadataPath)", expected: "an object with a non-negative integer 'epoch'", found: metadata.summary)
        }
        restoredEpoch = epoch
        model.initialEpochOverride = epoch
        nextEpoch = epoch
    }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) {
        guard case .batches(let every) = saveFrequency, counter.shouldSave(afterBatch: batch, every: every) else { return }
        save()
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        nextEpoch = epoch + 1
        counter.epochEnded()
        if saveFrequency == .epoch { save() }
    }

    public override func onTrainEnd(logs: Logs) {
        guard deleteCheckpoint, FileManager.default.fileExists(atPath: backupDirectory) else { return }
        do {
            try FileManager.default.removeItem(atPath: backupDirectory)
        } catch {
            preconditionFailure("BackupAndRestore: cannot delete \(backupDirectory): \(error)")
        }
    }

    private func save() {
        guard let model else { preconditionFailure("BackupAndRestore: no model is attached") }
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
            if doubleCheckpoint && files.fileExists(atPath: weightsPath) { try replace(previousWeightsPath, with: weightsPath) }
            if doubleCheckpoint && files.fileExists(atPath: metadataPath) { try replace(previousMetadataPath, with: metadataPath) }
            try model.saveWeights(to: weightsPath)
            let metadata: JSONValue = ["epoch": .int(nextEpoch), "batch": .int(counter.lastBatchSeen)]
            try AtomicFile.write(Array(metadata.serialized().utf8), to: metadataPath)
        } catch {
            preconditionFailure("BackupAndRestore: cannot write the backup in \(backupDirectory): \(error)")
        }
    }

    /// Copies `source` over `destination`.
    private func replace(_ destination: String, with source: String) throws {
        let files = FileManager.default
        if files.fileExists(atPath: destination) { try files.removeItem(atPath: destination) }
        try files.copyItem(atPath: source, toPath: destination)
    }

    public override var config: JSONObject {
        ["backup_dir": .string(backupDirectory), "save_freq": saveFrequency.configValue,
         "double_checkpoint": .bool(doubleCheckpoint), "delete_checkpoint": .bool(deleteCheckpoint)]
    }
}
