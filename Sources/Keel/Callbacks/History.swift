/// Records every epoch's logs (Keras's `History`); `fit` returns it. A History passed in again
/// keeps accumulating, as in Keras.
public final class History: Callback {
    public override class var kerasClassName: String { "History" }
    public private(set) var epochs: [Int] = []
    /// Metric name → one value per epoch.
    public private(set) var history: [String: [Double]] = [:]

    public override func onTrainBegin(logs: Logs) { epochs = [] }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) {
        epochs.append(epoch)
        for (key, value) in logs { history[key, default: []].append(value) }
        model?.history = self
    }
}
