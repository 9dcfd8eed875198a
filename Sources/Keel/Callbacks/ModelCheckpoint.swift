import Foundation

/// Saves the model (or only its weights) during training (Keras's `ModelCheckpoint`,
/// keras-spec §6.5): after every epoch or every N batches, to a path that may hold Python
/// format fields filled from the 1-based epoch, the batch and the logs
/// (`"w.{epoch:02d}-{val_loss:.2f}.h5"`), every time or only when the monitored quantity
/// improved. Parent directories are created; an existing file is replaced.
@Component(.plain)
public final class ModelCheckpoint: Callback, MonitorCallback {
    public override class var kerasClassName: String { "ModelCheckpoint" }

    /// Writes `model` to `path`: by default `save(to:)`, or `saveWeights(to:)` with `saveWeightsOnly`.
    public typealias Saver = (_ model: Model, _ path: String) throws -> Void

    /// Relative paths, and the folders in them, are relative to the working directory, as Python's
    /// `open` takes them: the paths written are the formatted template itself.
    @Hyper("filepath") public var filepath: String
    @Hyper("monitor") public var monitor: String = "val_loss"
    @Hyper("verbose") public var verbose: Int = 0
    @Hyper("save_best_only") public var saveBestOnly: Bool = false
    @Hyper("save_weights_only") public var saveWeightsOnly: Bool = false
    @Hyper("mode") public var mode: MonitorMode = .auto
    @Hyper("save_freq", .epochOrPositive) public var saveFrequency: SaveFrequency = .epoch
    /// The value to beat before the first save with `saveBestOnly`.
    @Hyper("initial_value_threshold") public var initialValueThreshold: Double? = nil

    /// Keras's ModelCheckpoint has no `min_delta`: any improvement counts.
    public var minDelta: Double { 0 }
    public var monitorState = MonitorState()
    public var output: (String) -> Void = CallbackMessages.standardOutput
    public var warn: (String) -> Void = CallbackMessages.standardError
    /// Every path written, in order (a path saved twice appears twice), exactly as formatted
    /// from `filepath`.
    public private(set) var savedPaths: [String] = []
    /// What writes the files (nil: `standardSaver`); replace it to observe or redirect saves.
    public var saver: Saver?
    private var batchCounter = BatchSaveCounter()
    private var currentEpoch = 0

    public override func didConfigure() { best = initialValueThreshold }

    /// Keras's constructor checks: the file name must say what is saved, and the template must parse.
    public override func check() throws {
        try super.check()
        if saveWeightsOnly {
            guard filepath.hasSuffix(".weights.h5") else {
                throw KeelError("ModelCheckpoint filepath '\(filepath)' with save_weights_only",
                                expected: "a name ending in .weights.h5 (the Keras weights format)", found: "another ending")
            }
        } else if !filepath.hasSuffix(".keras") && !filepath.hasSuffix(".h5") {
            throw KeelError("ModelCheckpoint filepath '\(filepath)'", expected: "a name ending in .keras or .h5",
                            found: "another ending")
        }
        _ = try FilepathTemplate(filepath)
    }

    /// Keel's saving API: the whole model, or its weights only.
    public static func standardSaver(weightsOnly: Bool) -> Saver {
        { model, path in
            if weightsOnly { try model.saveWeights(to: path) } else { try model.save(to: path) }
        }
    }

    public override func onEpochBegin(_ epoch: Int, logs: Logs) { currentEpoch = epoch }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        guard case .batches(let every) = saveFrequency, batchCounter.shouldSave(afterBatch: batch, every: every) else { return }
        try save(epoch: currentEpoch, batch: batch, logs: logs)
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        _ = try requireDirection()
        if saveFrequency == .epoch { try save(epoch: epoch, batch: nil, logs: logs) }
    }

    /// The path for a save at `epoch` (0-based) and, for batch-level saves, `batch` (0-based).
    public func path(epoch: Int, batch: Int?, logs: Logs) throws -> String {
        var values: [String: PythonFormatArgument] = [:]
        for (key, value) in logs { values[key] = .double(value) }
        values["epoch"] = .int(epoch + 1)
        if let batch, logs["batch"] == nil { values["batch"] = .int(batch + 1) }
        do {
            return try FilepathTemplate(filepath).format(values)
        } catch {
            throw KeelError("Failed to format this callback filepath: \"\(filepath)\". Reason: \(error)")
        }
    }

    /// Whether this save goes ahead (Keras's `_should_save_model`), printing what verbose
    /// mode prints.
    private func shouldSave(epoch: Int, logs: Logs, path: String) throws -> Bool {
        guard saveBestOnly else {
            if verbose > 0 { output("\nEpoch \(epoch + 1): saving model to \(path)") }
            return true
        }
        guard let current = logs[monitor] else {
            warn("Can save best model only with \(monitor) available.")
            return true
        }
        let bestText = best.map { String(format: "%.5f", $0) } ?? "None"
        if try isImprovement(current, over: best) {
            if verbose > 0 {
                output("\nEpoch \(epoch + 1): \(monitor) improved from \(bestText) to \(String(format: "%.5f", current)), saving model to \(path)")
            }
            best = current
            return true
        }
        if verbose > 0 { output("\nEpoch \(epoch + 1): \(monitor) did not improve from \(bestText)") }
        return false
    }

    private func save(epoch: Int, batch: Int?, logs: Logs) throws {
        guard let model else { OpCheck.fail("ModelCheckpoint: no model is attached") }
        do {
            let path = try self.path(epoch: epoch, batch: batch, logs: logs)
            guard try shouldSave(epoch: epoch, logs: logs, path: path) else { return }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw KeelError("ModelCheckpoint path \(path)", expected: "a file path", found: "an existing directory")
            }
            try (saver ?? ModelCheckpoint.standardSaver(weightsOnly: saveWeightsOnly))(model, path)
            savedPaths.append(path)
        } catch {
            throw KeelError("ModelCheckpoint: \(error)")
        }
    }
}

extension ModelCheckpoint: ResumableCallback {
    public func saveResumeState(into group: HDF5Group) throws {
        try group.writeState(["best": .optional(best)])
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        best = try ConfigReader(try group.readState(), owner: "ModelCheckpoint resume state").optionalDouble("best")
    }
}
