import Foundation

/// Records the loss (and other metrics) after every training batch and every epoch, and draws
/// them as PNG line charts: the plotting callback of *Deep Learning with Python* §7 without
/// matplotlib. Batch values are what the logs carry, i.e. the running mean of the epoch so far.
///
/// Files, in `directory`:
/// - with `.everyEpoch`, after each epoch: `plot_at_epoch_<e>.png` (the loss of each batch of
///   epoch e; the file name 0-based as in the book, the chart's title and batches counted from 1
///   as the progress bar shows them) and `<metric>_at_epoch_<e>.png` for the other metrics;
/// - at the end of training, in both modes: `history.png`, the epoch curves in the panels
///   `keel plot` draws (losses, each metric with its `val_` twin, the learning rate alone),
///   epochs numbered from 1.
@Component(.plain)
public final class LossHistory: Callback {
    public override class var kerasClassName: String { "LossHistory" }

    public enum PlotFrequency: String, Sendable, CaseIterable, ConfigRepresentable {
        case everyEpoch = "epoch"
        case trainEnd = "train_end"
    }

    @Hyper("directory") public var directory: String
    /// The logs keys recorded (their `val_` twins are recorded per epoch too).
    @Hyper("metrics") public var metrics: [String] = ["loss", "accuracy"]
    @Hyper("frequency") public var frequency: PlotFrequency = .everyEpoch

    /// Each metric's value after every training batch of the run.
    public private(set) var batchValues: [String: [Double]] = [:]
    /// Each key's value per epoch (metrics, their `val_` twins and the learning rate), with the
    /// epoch index.
    public private(set) var epochValues: [String: [(epoch: Int, value: Double)]] = [:]
    /// The keys of `epochValues` in the order they first appeared.
    private var epochKeys: [String] = []
    /// Every chart written, in order.
    public private(set) var writtenFiles: [String] = []
    private var currentEpochBatchValues: [String: [Double]] = [:]

    public override func onTrainBegin(logs: Logs) throws {
        batchValues = [:]
        epochValues = [:]
        epochKeys = []
        writtenFiles = []
        currentEpochBatchValues = [:]
    }

    public override func onBatchEnd(_ batch: Int, logs: Logs) {
        for metric in metrics {
            guard let value = logs[metric] else { continue }
            batchValues[metric, default: []].append(value)
            currentEpochBatchValues[metric, default: []].append(value)
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        // The learning rate has its own panel in the history chart, as in `keel plot`.
        var seen = Set<String>()
        for key in metrics + metrics.map({ "val_" + $0 }) + TrainingCurves.learningRateNames.sorted() where seen.insert(key).inserted {
            guard let value = logs[key] else { continue }
            if epochValues[key] == nil { epochKeys.append(key) }
            epochValues[key, default: []].append((epoch, value))
        }
        if frequency == .everyEpoch {
            for metric in metrics {
                guard let values = currentEpochBatchValues[metric], !values.isEmpty else { continue }
                let name = metric == "loss" ? "plot_at_epoch_\(epoch).png" : "\(metric)_at_epoch_\(epoch).png"
                let chart = LineChart(title: "Epoch \(epoch + 1)", xLabel: "batch", yLabel: LossHistory.displayName(metric),
                                      series: [LineSeries(label: "Training \(metric) for each batch",
                                                          x: values.indices.map { Double($0 + 1) }, y: values)])
                try write(chart, named: name)
            }
        }
        currentEpochBatchValues = [:]
    }

    public override func onTrainEnd(logs: Logs) throws {
        let columns = epochKeys.compactMap { key in
            epochValues[key].map { TrainingCurves.Column(name: key, x: $0.map { Double($0.epoch) }, values: $0.map(\.value)) }
        }
        guard !columns.isEmpty else { return }
        let figure = try TrainingCurves.figure(title: "Training history", xName: "epoch", epochColumn: true, columns: columns)
        try write(named: "history.png", figure.write(to:))
    }

    private func write(_ chart: LineChart, named name: String) throws {
        try write(named: name, chart.write(to:))
    }

    private func write(named name: String, _ draw: (String) throws -> Void) throws {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        do {
            // Made with the first chart, so a run that draws none has no empty folder.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try draw(path)
        } catch {
            throw KeelError("LossHistory: cannot write \(path): \(error)")
        }
        writtenFiles.append(path)
    }

    /// "val_loss" → "Val loss", "accuracy" → "Accuracy": axis titles as the book writes them.
    static func displayName(_ key: String) -> String {
        let words = key.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

extension LossHistory: ResumableCallback {
    /// The epoch curves so far (and the batch values behind the per-epoch charts), so the
    /// history chart of a resumed run covers every epoch, not just those after the resume.
    /// Values go in float64 datasets: a NaN loss survives where JSON could not carry it.
    public func saveResumeState(into group: HDF5Group) throws {
        try group.writeState(["epoch_keys": .array(epochKeys.map { .string($0) }),
                              "batch_keys": .array(batchValues.keys.sorted().map { .string($0) })])
        for (index, key) in epochKeys.enumerated() {
            let points = epochValues[key] ?? []
            _ = try group.createDataset("epoch_values/\(index)/epoch", data: ArrayData(points.map { Int64($0.epoch) }, shape: [points.count]))
            _ = try group.createDataset("epoch_values/\(index)/value", data: ArrayData(points.map(\.value), shape: [points.count]))
        }
        for (index, key) in batchValues.keys.sorted().enumerated() {
            let values = batchValues[key] ?? []
            _ = try group.createDataset("batch_values/\(index)", data: ArrayData(values, shape: [values.count]))
        }
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        let state = try group.readState()
        let owner = "\(group.filePath) [\(group.path)] LossHistory state"
        func keys(_ name: String) throws -> [String] {
            guard let keys = state[name]?.arrayValue?.compactMap(\.stringValue) else {
                throw KeelError(owner, expected: "a list of strings '\(name)'", found: state[name]?.summary ?? "none")
            }
            return keys
        }
        epochKeys = try keys("epoch_keys")
        epochValues = [:]
        for (index, key) in epochKeys.enumerated() {
            let epochs = try group.dataset("epoch_values/\(index)/epoch").readValues(as: Int64.self)
            let values = try group.dataset("epoch_values/\(index)/value").readValues(as: Double.self)
            guard epochs.count == values.count else {
                throw KeelError(owner, expected: "as many epochs as values for '\(key)'", found: "\(epochs.count) and \(values.count)")
            }
            epochValues[key] = zip(epochs, values).map { (epoch: Int($0), value: $1) }
        }
        batchValues = [:]
        for (index, key) in try keys("batch_keys").enumerated() {
            batchValues[key] = try group.dataset("batch_values/\(index)").readValues(as: Double.self)
        }
    }
}
