import Foundation

/// Records the loss (and other metrics) after every training batch and every epoch, and draws
/// them as PNG line charts: the plotting callback of *Deep Learning with Python* §7 without
/// matplotlib. Batch values are what the logs carry, i.e. the running mean of the epoch so far.
///
/// Files, in `directory`:
/// - with `.everyEpoch`, after each epoch: `plot_at_epoch_<e>.png` (the loss of each batch of
///   epoch e, 0-based as in the book) and `<metric>_at_epoch_<e>.png` for the other metrics;
/// - at the end of training, in both modes: `history_<metric>.png`, the metric and its `val_`
///   twin per epoch (epochs numbered from 1, as the book's charts do).
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
    /// Each key's value per epoch (metrics and their `val_` twins), with the epoch index.
    public private(set) var epochValues: [String: [(epoch: Int, value: Double)]] = [:]
    /// Every chart written, in order.
    public private(set) var writtenFiles: [String] = []
    private var currentEpochBatchValues: [String: [Double]] = [:]

    public override func onTrainBegin(logs: Logs) throws {
        batchValues = [:]
        epochValues = [:]
        writtenFiles = []
        currentEpochBatchValues = [:]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw KeelError("LossHistory: cannot create the chart directory \(directory): \(error)")
        }
    }

    public override func onBatchEnd(_ batch: Int, logs: Logs) {
        for metric in metrics {
            guard let value = logs[metric] else { continue }
            batchValues[metric, default: []].append(value)
            currentEpochBatchValues[metric, default: []].append(value)
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        for key in metrics + metrics.map({ "val_" + $0 }) {
            if let value = logs[key] { epochValues[key, default: []].append((epoch, value)) }
        }
        if frequency == .everyEpoch {
            for metric in metrics {
                guard let values = currentEpochBatchValues[metric], !values.isEmpty else { continue }
                let name = metric == "loss" ? "plot_at_epoch_\(epoch).png" : "\(metric)_at_epoch_\(epoch).png"
                let chart = LineChart(title: "Epoch \(epoch)", xLabel: "Batch (epoch \(epoch))",
                                      yLabel: LossHistory.displayName(metric),
                                      series: [LineSeries(label: "Training \(metric) for each batch", y: values)])
                try write(chart, named: name)
            }
        }
        currentEpochBatchValues = [:]
    }

    public override func onTrainEnd(logs: Logs) throws {
        for metric in metrics {
            var series: [LineSeries] = []
            for (key, label) in [(metric, "Training \(metric)"), ("val_" + metric, "Validation \(metric)")] {
                guard let points = epochValues[key], !points.isEmpty else { continue }
                series.append(LineSeries(label: label, x: points.map { Double($0.epoch + 1) }, y: points.map(\.value)))
            }
            guard !series.isEmpty else { continue }
            let chart = LineChart(title: "Training and validation \(metric)", xLabel: "Epochs",
                                  yLabel: LossHistory.displayName(metric), series: series)
            try write(chart, named: "history_\(metric).png")
        }
    }

    private func write(_ chart: LineChart, named name: String) throws {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        do {
            try chart.write(to: path)
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
    /// The values recorded so far, so a resumed run's `history_*.png` covers every epoch. Values
    /// are float64 datasets (JSON would round them); keys go in the state, in dataset order.
    public func saveResumeState(into group: HDF5Group) throws {
        let batchKeys = batchValues.keys.sorted(), epochKeys = epochValues.keys.sorted()
        try group.writeState(["batch_keys": .array(batchKeys.map { .string($0) }), "epoch_keys": .array(epochKeys.map { .string($0) }),
                              "written": .array(writtenFiles.map { .string($0) })])
        for (index, key) in batchKeys.enumerated() {
            _ = try group.createDataset("batch_\(index)", data: ArrayData(batchValues[key]!, shape: [batchValues[key]!.count]))
        }
        for (index, key) in epochKeys.enumerated() {
            let points = epochValues[key]!
            _ = try group.createDataset("epoch_\(index)_epochs", data: ArrayData(points.map { Int64($0.epoch) }, shape: [points.count]))
            _ = try group.createDataset("epoch_\(index)_values", data: ArrayData(points.map(\.value), shape: [points.count]))
        }
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        let state = try group.readState()
        func strings(_ key: String) -> [String] { state[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var batch: [String: [Double]] = [:], epochs: [String: [(epoch: Int, value: Double)]] = [:]
        for (index, key) in strings("batch_keys").enumerated() {
            batch[key] = try group.dataset("batch_\(index)").readValues(as: Double.self)
        }
        for (index, key) in strings("epoch_keys").enumerated() {
            let indices = try group.dataset("epoch_\(index)_epochs").readValues(as: Int64.self)
            let values = try group.dataset("epoch_\(index)_values").readValues(as: Double.self, shape: [indices.count])
            epochs[key] = zip(indices, values).map { (Int(clamping: $0), $1) }
        }
        batchValues = batch
        epochValues = epochs
        writtenFiles = strings("written")
    }
}
