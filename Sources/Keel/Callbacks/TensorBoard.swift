import Foundation

/// Writes TensorBoard logs during training, as Keras's `TensorBoard` callback does (Keras 3's
/// keras/src/callbacks/tensorboard.py), into `train/` and `validation/` under `log_dir`:
/// - `epoch_<metric>` at each epoch (validation metrics without their `val_` prefix, in
///   `validation/`), with `epoch_learning_rate` and, with `write_steps_per_second`,
///   `epoch_steps_per_second`;
/// - `evaluation_<metric>_vs_iterations` at each evaluation, at the optimizer's iteration count;
/// - `batch_<metric>` (and `batch_steps_per_second`) every `update_freq` batches;
/// - every `histogram_freq` epochs a histogram of each layer weight (`<weight path>/histogram`)
///   and, with `write_images`, the weight as an image (`<weight path>/image`);
/// - with `write_graph`, the model's Keras JSON (tag `keras`) for the Graphs dashboard.
///
/// Like Keras's, a batch-level `update_freq` also gates the epoch and evaluation summaries:
/// Keras leaves TensorFlow's `record_if(step % update_freq == 0)` of the latest batch in force
/// while it writes them, so they appear only when that batch count is a multiple of it. Keel
/// writes the same records at the same steps.
///
/// `profile_batch` is accepted and checked as Keras checks it, but nothing is profiled.
/// `embeddings_freq` saves the weights for the Projector as Keras does
/// (`train/keras_embedding.ckpt-<epoch>.weights.h5` and `projector_config.pbtxt`).
@Component(.plain)
public final class TensorBoard: Callback {
    public override class var kerasClassName: String { "TensorBoard" }

    @Hyper("log_dir") public var logDirectory: String = "logs"
    @Hyper("histogram_freq", .nonNegative) public var histogramFrequency: Int = 0
    @Hyper("write_graph") public var writeGraph: Bool = true
    @Hyper("write_images") public var writeImages: Bool = false
    @Hyper("write_steps_per_second") public var writeStepsPerSecond: Bool = false
    @Hyper("update_freq") public var updateFrequency: TensorBoardUpdateFrequency = .epoch
    /// Accepted for Keras compatibility; Keel does not profile.
    @Hyper("profile_batch") public var profileBatch: ProfileBatchRange = .off
    @Hyper("embeddings_freq", .nonNegative) public var embeddingsFrequency: Int = 0
    /// One metadata file for every Embedding layer, or a dictionary of layer name → file.
    @Hyper("embeddings_metadata") public var embeddingsMetadata: JSONValue? = nil

    /// Writers shared with an experiment's own code (`keel run --tensorboard`); nil: the callback
    /// opens its own and closes them when training ends.
    var sharedWriters: SummaryWriterPool?
    private var ownWriters = SummaryWriterPool()
    private var writers: SummaryWriterPool { sharedWriters ?? ownWriters }

    /// Keras's stack of default writers with their `record_if` steps (batch-level mode only).
    private var defaultWriters: [(run: String, step: Int)] = []
    private var globalTrainBatch = 0
    private var globalTestBatch = 0
    private var modelPending = false
    private var previousEpochIterations = 0
    private var epochStart = Date()
    private var batchStart = Date()

    public var trainDirectory: String { URL(fileURLWithPath: logDirectory).appendingPathComponent("train").path }
    public var validationDirectory: String { URL(fileURLWithPath: logDirectory).appendingPathComponent("validation").path }

    private func writer(_ run: String) throws -> SummaryWriter {
        try writers.writer(for: run == "train" ? trainDirectory : validationDirectory)
    }

    public override func setModel(_ model: Model) {
        super.setModel(model)
        // Keras writes the model (and the projector config) here; Keel at the next hook, which may throw.
        modelPending = true
    }

    private func writeModelIfPending() throws {
        guard modelPending, let model else { return }
        modelPending = false
        if writeGraph && shouldRecord { try writer("train").graph(of: model) }
        if embeddingsFrequency > 0 { try TensorBoardProjector.writeConfig(for: model, metadata: embeddingsMetadata, in: logDirectory) }
    }

    // MARK: Keras's default writer and record_if

    private func push(_ run: String, step: Int) throws {
        _ = try writer(run)  // Keras opens the writer whether or not it pushes it
        if case .batches = updateFrequency { defaultWriters.append((run, step)) }
    }

    private func pop() {
        if case .batches = updateFrequency, !defaultWriters.isEmpty { defaultWriters.removeLast() }
    }

    /// TensorFlow's recording condition in force: the latest push's step is a multiple of `update_freq`.
    private var shouldRecord: Bool {
        guard case .batches(let every) = updateFrequency, let top = defaultWriters.last else { return true }
        return top.step % every == 0
    }

    /// Writes to the default writer, which exists only with a batch-level `update_freq`.
    private func scalarToDefault(_ tag: String, _ value: Double, step: Int) throws {
        guard let top = defaultWriters.last, shouldRecord else { return }
        try writer(top.run).scalar(tag: tag, value: value, step: step)
    }

    // MARK: Hooks

    public override func onTrainBegin(logs: Logs) throws {
        try writeModelIfPending()
        globalTrainBatch = 0
        previousEpochIterations = 0
        try push("train", step: 0)
    }

    public override func onTrainEnd(logs: Logs) throws {
        pop()
        if sharedWriters == nil { try ownWriters.closeAll() } else { try writers.flushAll() }
    }

    public override func onTestBegin(logs: Logs) throws {
        try writeModelIfPending()
        try push("validation", step: globalTestBatch)
    }

    public override func onTestEnd(logs: Logs) throws {
        if let optimizer = model?.optimizer, shouldRecord {
            let validation = try writer("validation")
            for (name, value) in logs {
                try validation.scalar(tag: "evaluation_\(name)_vs_iterations", value: value, step: optimizer.iterations)
            }
        }
        pop()
    }

    public override func onPredictBegin(logs: Logs) throws { try writeModelIfPending() }

    public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
        globalTrainBatch += 1
        if case .batches = updateFrequency {
            pop()
            try push("train", step: globalTrainBatch)
        }
        if writeStepsPerSecond { batchStart = Date() }
    }

    public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
        if writeStepsPerSecond {
            try scalarToDefault("batch_steps_per_second", 1 / max(Date().timeIntervalSince(batchStart), 1e-9), step: globalTrainBatch)
        }
        for (name, value) in logs { try scalarToDefault("batch_\(name)", value, step: globalTrainBatch) }
    }

    public override func onTestBatchBegin(_ batch: Int, logs: Logs) throws {
        globalTestBatch += 1
        if case .batches = updateFrequency {
            pop()
            try push("validation", step: globalTestBatch)
        }
    }

    public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
        if writeStepsPerSecond {
            previousEpochIterations = model?.optimizer?.iterations ?? 0
            epochStart = Date()
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        try logEpochMetrics(epoch, logs)
        if histogramFrequency > 0 && epoch % histogramFrequency == 0 { try logWeights(epoch) }
        if embeddingsFrequency > 0 && epoch % embeddingsFrequency == 0, let model {
            try TensorBoardProjector.saveWeights(of: model, epoch: epoch, trainDirectory: trainDirectory)
        }
    }

    private func logEpochMetrics(_ epoch: Int, _ logs: Logs) throws {
        guard !logs.isEmpty else { return }
        var train = logs.filter { !$0.key.hasPrefix("val_") }.map { ($0.key, $0.value) }
        let validation = logs.filter { $0.key.hasPrefix("val_") }.map { (String($0.key.dropFirst(4)), $0.value) }
        if let optimizer = model?.optimizer {
            train.removeAll { $0.0 == "learning_rate" }
            train.append(("learning_rate", Double(optimizer.currentLearningRate)))
            if writeStepsPerSecond {
                let seconds = max(Date().timeIntervalSince(epochStart), 1e-9)
                train.append(("steps_per_second", Double(optimizer.iterations - previousEpochIterations) / seconds))
            }
        }
        for (run, values) in [("train", train), ("validation", validation)] where !values.isEmpty {
            let target = try writer(run)
            guard shouldRecord else { continue }
            for (name, value) in values { try target.scalar(tag: "epoch_\(name)", value: value, step: epoch) }
            try target.flush()
        }
    }

    private func logWeights(_ epoch: Int) throws {
        guard let model else { return }
        let train = try writer("train")
        guard shouldRecord else { return }
        for layer in model.layers {
            for weight in layer.weights {
                let name = weight.path.replacingOccurrences(of: ":", with: "_")
                try train.histogram(tag: "\(name)/histogram", values: weight.value, step: epoch)
                if writeImages, let image = TensorBoard.weightImage(weight.value) {
                    try train.image(tag: "\(name)/image", images: image, step: epoch)
                }
            }
        }
        try train.flush()
    }

    /// A weight as Keras shows it: squeezed; a bias as one column, a dense kernel with its longer
    /// side across, each 2-D kernel of a convolution with one input channel as its own image.
    /// nil where Keras shows none (its result is not NHWC with 1, 3 or 4 channels).
    static func weightImage(_ weight: Tensor) -> Tensor? {
        var image = weight.squeezed()
        let shape = image.shape
        switch shape.count {
        case 1:
            image = image.reshaped([1, shape[0], 1, 1])
        case 2:
            if shape[0] > shape[1] { image = image.transposed([1, 0]) }
            image = image.reshaped([1, image.shape[0], image.shape[1], 1])
        case 3:
            image = image.transposed([2, 0, 1])
            image = image.reshaped(image.shape + [1])
        default:
            break
        }
        return image.shape.count == 4 && [1, 3, 4].contains(image.shape[3]) ? image : nil
    }
}
