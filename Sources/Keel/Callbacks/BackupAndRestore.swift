import Foundation

/// Keeps a backup of the training state so an interrupted `fit` can pick up where it stopped
/// (Keras's `BackupAndRestore`, keras-spec §6.7): after every epoch (or every N batches) the
/// weights and optimizer state go to `<backupDirectory>/latest.weights.h5` and the position to
/// `training_metadata.json` (`{"epoch": <next epoch>, "batch": <last batch seen>}`). At the start
/// of training both are read back; `restoredEpoch` is the epoch to continue from. The directory
/// is deleted when training completes, unless `deleteCheckpoint` is false.
@Component(.plain)
public final class BackupAndRestore: Callback {
    public override class var kerasClassName: String { "BackupAndRestore" }

    @Hyper("backup_dir", HyperCheck("a directory path") { !$0.isEmpty }) public var backupDirectory: String
    @Hyper("save_freq", .epochOrPositive) public var saveFrequency: SaveFrequency = .epoch
    /// Keep the previous backup as `*.bkp`, to fall back on when the latest cannot be read.
    @Hyper("double_checkpoint") public var doubleCheckpoint: Bool = false
    @Hyper("delete_checkpoint") public var deleteCheckpoint: Bool = true

    /// The epoch the saved metadata says training continues from (nil: nothing was restored).
    public private(set) var restoredEpoch: Int?

    private var counter = BatchSaveCounter()
    private var nextEpoch = 0

    public var weightsPath: String { file("latest.weights.h5") }
    public var metadataPath: String { file("training_metadata.json") }
    var previousWeightsPath: String { weightsPath + ".bkp" }
    var previousMetadataPath: String { metadataPath + ".bkp" }

    private func file(_ name: String) -> String {
        URL(fileURLWithPath: backupDirectory).appendingPathComponent(name).path
    }

    public override func onTrainBegin(logs: Logs) throws {
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
            throw KeelError("BackupAndRestore: the backup in \(backupDirectory) cannot be restored: \(error)")
        }
    }

    /// Loads the weights (and optimizer state) and the position to continue from. A snapshot Keel
    /// wrote also carries the random generator and the other callbacks' state, so the resumed run
    /// continues exactly as the interrupted one would have.
    func restore() throws {
        guard let model else { OpCheck.fail("BackupAndRestore: no model is attached") }
        guard model.isBuilt else {
            throw KeelError("BackupAndRestore model '\(model.name)'", expected: "a model built before fit (give it an input shape)",
                            found: "an unbuilt model")
        }
        restoredEpoch = nil
        guard FileManager.default.fileExists(atPath: weightsPath) else { return }
        // The optimizer's slots must exist for the saved optimizer state to be loaded into them.
        model.optimizer?.buildIfNeeded(for: model.trainableWeights)
        try model.loadWeights(from: weightsPath)
        let epoch: Int
        if let snapshot = try readSnapshotState() {
            epoch = snapshot
        } else {
            guard FileManager.default.fileExists(atPath: metadataPath) else { return }
            let bytes = try FileBytes.read(metadataPath, what: "training metadata")
            let metadata = try JSONValue.parse(String(decoding: bytes, as: UTF8.self), source: metadataPath)
            guard let value = metadata.objectValue?["epoch"]?.intValue, value >= 0 else {
                throw KeelError("\(metadataPath)", expected: "an object with a non-negative integer 'epoch'", found: metadata.summary)
            }
            epoch = value
        }
        restoredEpoch = epoch
        model.initialEpochOverride = epoch
        nextEpoch = epoch
    }

    /// The callbacks whose state goes into the snapshot, in list order.
    private var resumablePeers: [ResumableCallback] {
        (list?.callbacks ?? []).compactMap { $0 === self ? nil : $0 as? ResumableCallback }
    }

    /// Reads the training state stored in the weights file; nil for a backup without one
    /// (written by Keras, or by an older Keel).
    private func readSnapshotState() throws -> Int? {
        let file = try HDF5File(weightsPath)
        defer { try? file.close() }
        guard try file.root.contains(Self.stateGroup) else { return nil }
        let group = try file.root.group(Self.stateGroup)
        let state = ConfigReader(try group.readState(), owner: "\(weightsPath) training state")
        let epoch = try state.int("epoch")
        KeelRandom.generator.state = try RandomState(snapshot: state)
        if let seed = try state.optionalString("data_seed") {
            // A fit continuing one dataset iteration across epochs: where that iteration stood.
            guard let value = UInt64(seed), let batches = try state.optionalInt("data_batches"), batches >= 0 else {
                throw KeelError("\(weightsPath) training state", expected: "a dataset position (a 64-bit seed and a batch count)",
                                found: "data_seed \(seed)")
            }
            model?.restoredDataPosition = DataPosition(seed: value, batches: batches)
        }
        let peers = resumablePeers
        for (index, peer) in peers.enumerated() {
            let name = "callback_\(index)"
            guard try group.contains(name) else {
                throw KeelError("\(weightsPath) training state", expected: "the state of \(peers.count) callbacks",
                                found: "none for \(type(of: peer).kerasClassName) (callback \(index))")
            }
            let peerGroup = try group.group(name)
            let savedClass = try peerGroup.attributeString("class")
            guard savedClass == type(of: peer).kerasClassName else {
                throw KeelError("\(weightsPath) training state of callback \(index)", expected: type(of: peer).kerasClassName,
                                found: savedClass)
            }
            try peer.restoreResumeState(from: peerGroup)
        }
        return epoch
    }

    static let stateGroup = "keel_training_state"

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        guard case .batches(let every) = saveFrequency, counter.shouldSave(afterBatch: batch, every: every) else { return }
        try save()
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        nextEpoch = epoch + 1
        counter.epochEnded()
        if saveFrequency == .epoch { try save() }
    }

    public override func onTrainEnd(logs: Logs) throws {
        guard deleteCheckpoint, FileManager.default.fileExists(atPath: backupDirectory) else { return }
        do {
            try FileManager.default.removeItem(atPath: backupDirectory)
        } catch {
            throw KeelError("BackupAndRestore: cannot delete \(backupDirectory): \(error)")
        }
    }

    private func save() throws {
        guard let model else { OpCheck.fail("BackupAndRestore: no model is attached") }
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
            if doubleCheckpoint && files.fileExists(atPath: weightsPath) { try replace(previousWeightsPath, with: weightsPath) }
            if doubleCheckpoint && files.fileExists(atPath: metadataPath) { try replace(previousMetadataPath, with: metadataPath) }
            // One file holds weights, optimizer, position, random state and callback state, so a
            // crash can never pair new weights with an old position: it is completed under a
            // temporary name and renamed over the previous snapshot.
            let snapshot = file(".snapshot.weights.h5")
            try model.saveWeights(to: snapshot)
            let hdf5 = try HDF5File(snapshot, mode: .readWrite)
            let group = try hdf5.root.createGroup(Self.stateGroup)
            var state: JSONObject = ["epoch": .int(nextEpoch), "batch": .int(counter.lastBatchSeen)]
            for (key, value) in KeelRandom.generator.state.snapshotFields { state[key] = value }
            if let position = model.fitDataPosition {
                state["data_seed"] = .string(String(position.seed))
                state["data_batches"] = .int(position.batches)
            }
            try group.writeState(state)
            for (index, peer) in resumablePeers.enumerated() {
                let peerGroup = try group.createGroup("callback_\(index)")
                try peerGroup.setAttribute("class", type(of: peer).kerasClassName)
                try peer.saveResumeState(into: peerGroup)
            }
            try hdf5.close()
            try AtomicFile.replace(weightsPath, with: snapshot)
            // Keras's own metadata file, for tools that read it; Keel reads the snapshot.
            let metadata: JSONValue = ["epoch": .int(nextEpoch), "batch": .int(counter.lastBatchSeen)]
            try AtomicFile.write(Array(metadata.serialized().utf8), to: metadataPath)
        } catch {
            throw KeelError("BackupAndRestore: cannot write the backup in \(backupDirectory): \(error)")
        }
    }

    /// Copies `source` over `destination`.
    private func replace(_ destination: String, with source: String) throws {
        let files = FileManager.default
        if files.fileExists(atPath: destination) { try files.removeItem(atPath: destination) }
        try files.copyItem(atPath: source, toPath: destination)
    }
}
