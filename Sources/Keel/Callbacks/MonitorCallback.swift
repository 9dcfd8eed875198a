/// Whether the monitored quantity should go down (`min`) or up (`max`); `auto` asks the model
/// (Keras's `mode`). Keras warns and falls back to auto on an unknown mode; Keel refuses it, as it
/// refuses every config value it cannot honour.
public enum MonitorMode: String, Sendable, CaseIterable, ConfigRepresentable {
    case auto, min, max
}

/// What a monitoring callback has seen: the best value and which way is better.
public struct MonitorState: Sendable {
    /// The best value seen so far (nil before the first one, unless a starting value was given).
    public var best: Double?
    /// nil until the direction is resolved. Keras resolves it at the first epoch end, once the
    /// model's metrics exist, so it can ask them which way is better.
    public var lowerIsBetter: Bool?

    public init(best: Double? = nil) { self.best = best }
}

/// Callbacks that watch one logged quantity and judge improvements: EarlyStopping,
/// ReduceLROnPlateau and ModelCheckpoint (Keras's `MonitorCallback`, keras-spec §6.2). Each
/// declares `monitor` and `mode` where its Keras signature has them, and keeps a `MonitorState`.
public protocol MonitorCallback: Callback {
    /// The logs key watched, e.g. "val_loss".
    var monitor: String { get }
    var mode: MonitorMode { get }
    /// The smallest change that counts as an improvement (its magnitude counts; the sign follows
    /// the direction, as Keras negates it for `min`).
    var minDelta: Double { get }
    var monitorState: MonitorState { get set }
}

extension MonitorCallback {
    /// The best value seen so far (nil before the first one, unless a starting value was given).
    public var best: Double? {
        get { monitorState.best }
        set { monitorState.best = newValue }
    }

    /// nil until the direction is resolved (see `MonitorState`).
    public var lowerIsBetter: Bool? { monitorState.lowerIsBetter }

    /// Decides the direction once (Keras's `_set_monitor_op`): `min`/`max` as given; in `auto`
    /// a loss goes down and a compiled metric says which way it is better. A quantity nobody can
    /// place is an error, as in Keras 3 (tf.keras guessed from "acc" in the name).
    public func resolveDirection() throws {
        guard monitorState.lowerIsBetter == nil else { return }
        switch mode {
        case .min: monitorState.lowerIsBetter = true
        case .max: monitorState.lowerIsBetter = false
        case .auto:
            let name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
            guard let lower = MonitorDirection.lowerIsBetter(forQuantity: name, of: model) else {
                throw KeelError("\(type(of: self).kerasClassName) monitor '\(monitor)' with mode 'auto'",
                                expected: "'loss' or a metric the model was compiled with, whose direction is known (or pass mode 'min' or 'max')",
                                found: "'\(name)' is neither the loss nor a compiled metric of known direction")
            }
            monitorState.lowerIsBetter = lower
        }
    }

    /// A monitor whose direction cannot be told is an error with the message Keras's ValueError gives.
    func requireDirection() throws -> Bool {
        try resolveDirection()
        return monitorState.lowerIsBetter!
    }

    /// Whether `current` beats `reference` by more than `minDelta` (always, when there is no
    /// reference yet).
    public func isImprovement(_ current: Double, over reference: Double?) throws -> Bool {
        guard let reference else { return true }
        let lower = try requireDirection()
        let delta = abs(minDelta)
        // Keras compares with ops.less/ops.greater, which convert both Python floats to float32
        // tensors first: near-ties are decided in float32, so Keel does the same.
        let shifted = Float(lower ? current + delta : current - delta)
        return lower ? shifted < Float(reference) : shifted > Float(reference)
    }
}

/// Which way a logged quantity is better.
enum MonitorDirection {
    /// The direction of `name` for `model`: the total loss and per-output losses go down; a
    /// compiled metric answers through `higherIsBetter`. nil when nothing by that name is known.
    static func lowerIsBetter(forQuantity name: String, of model: Model?) -> Bool? {
        if name == "loss" { return true }
        guard let model, let compiled = model.compiled else { return nil }
        if compiled.isMultiOutput, compiled.outputNames.contains(where: { "\($0)_loss" == name }) { return true }
        if let metric = (compiled.metrics + compiled.weightedMetrics).joined().first(where: { $0.name == name }) {
            // A function says nothing of its direction: Keras asks for `mode` then, and so does Keel.
            return metric is FunctionMetric ? nil : !metric.higherIsBetter
        }
        // Before the first batch the metrics are not made yet: ask what compile was given.
        for (output, specs) in zip(compiled.metricSpecs, compiled.weightedMetricSpecs).map({ $0 + $1 }).enumerated() {
            let prefix = compiled.metricPrefix(output: output)
            for spec in specs {
                let metric: Metric?
                switch spec {
                case .metric(let given): metric = given
                case .function(let given, _):
                    if given == name || prefix + given == name { return nil }
                    continue
                case .name(let given):
                    guard prefix + given == name || given == name else { continue }
                    // The shapes only choose between the accuracy (or crossentropy) variants,
                    // which share a direction.
                    metric = try? Metrics.resolve(given, yTrueShape: [1, 1], yPredShape: [1, 1])
                }
                if let metric, metric.name == name || prefix + metric.name == name { return !metric.higherIsBetter }
            }
        }
        return nil
    }
}
