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
            // Made with the first chart, so a run that draws none has no empty folder.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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
