/// What `compile` set up: a loss and metrics per output, loss weights, and the trackers whose
/// running means become the `loss`, `<output>_loss` and metric logs.
public final class CompiledState {
    /// The names of the per-output logs (`<name>_loss`, `<name>_<metric>`): each output layer's
    /// name, or, for a subclassed model's unnamed outputs, each output's loss name.
    public let outputNames: [String]
    /// False for a subclassed model's outputs: as in Keras, its metrics keep their own names.
    let outputsHaveNames: Bool
    /// Whether any loss or metric reads the targets (a model trained only on its own losses needs none).
    private let scoresTargets: Bool
    public let losses: [Loss?]
    public let lossWeights: [Float]
    let lossSpecs: [LossSpec?]
    let metricSpecs: [[MetricSpec]]
    let weightedMetricSpecs: [[MetricSpec]]
    /// Metrics per output, made on the first batch (string names resolve from the data's shapes).
    public private(set) var metrics: [[Metric]] = []
    public private(set) var weightedMetrics: [[Metric]] = []
    var lossTracker = RunningMean()
    var outputLossTrackers: [RunningMean]

    init(outputNames: [String], outputsHaveNames: Bool = true, losses: [LossSpec?], lossWeights: [Float],
         metrics: [[MetricSpec]], weightedMetrics: [[MetricSpec]]) throws {
        self.outputNames = outputNames
        self.outputsHaveNames = outputsHaveNames
        self.lossSpecs = losses
        self.losses = try losses.map { try $0?.resolve() }
        self.lossWeights = lossWeights
        self.metricSpecs = metrics
        self.weightedMetricSpecs = weightedMetrics
        scoresTargets = losses.contains { $0 != nil } || !(metrics + weightedMetrics).joined().isEmpty
        // Names are resolved on the first batch, from its shapes; one that can never resolve, or a
        // metric object with a bad hyper-parameter, is an error here rather than a missing log.
        for spec in (metrics + weightedMetrics).joined() {
            switch spec {
            case .name(let name): try Metrics.checkResolvable(name)
            case .metric(let metric): try metric.check()
            case .function: break
            }
        }
        outputLossTrackers = Array(repeating: RunningMean(), count: outputNames.count)
    }

    var isMultiOutput: Bool { outputNames.count > 1 }

    /// What the log name of a metric of output `output` starts with: `<output name>_` for one of
    /// several named outputs, nothing otherwise.
    func metricPrefix(output: Int) -> String {
        isMultiOutput && outputsHaveNames ? outputNames[output] + "_" : ""
    }

    /// The model's trainable variables, gathered again only when some layer gained a weight or
    /// changed `trainable` since the last step (walking every layer each step is measurable on
    /// small models).
    func trainableVariables(of model: Model) -> [Variable] {
        let generation = Layer.weightsGeneration
        if let cached = cachedTrainableVariables, cached.generation == generation { return cached.variables }
        let variables = model.trainableWeights
        cachedTrainableVariables = (generation, variables)
        return variables
    }
    private var cachedTrainableVariables: (generation: Int, variables: [Variable])?

    /// Each loss's own input checks (`Loss.checkInputs`): a batch a loss cannot take is a
    /// `KeelError` naming the loss rather than a stop inside it. First, one prediction per
    /// compiled output, and one target array each when losses or metrics score them (a
    /// subclassed model says how many outputs it has only when it runs).
    func checkLossInputs(yTrue: [Tensor], yPred: [Tensor], model: Model) throws {
        let count = losses.count
        guard yPred.count == count else {
            throw KeelError("predictions of \(model.nameForMessages), compiled for \(count) output\(count == 1 ? "" : "s")",
                            expected: "\(count) output\(count == 1 ? "" : "s") (compile with one loss per output: loss: .perOutput([...]))",
                            found: "\(yPred.count)")
        }
        guard yTrue.count == count || !scoresTargets else {
            throw KeelError("targets for \(model.nameForMessages), compiled for \(count) output\(count == 1 ? "" : "s")",
                            expected: "\(count) target array\(count == 1 ? "" : "s")", found: "\(yTrue.count)")
        }
        for (output, loss) in losses.enumerated() where output < yTrue.count && output < yPred.count {
            try loss?.checkInputs(yTrue: yTrue[output], yPred: yPred[output])
        }
    }

    /// Each metric's own input checks (`Metric.checkInputs`), once the metrics are built.
    func checkMetricInputs(yTrue: [Tensor], yPred: [Tensor], sampleWeight: Tensor?) throws {
        let groups: [(lists: [[Metric]], weight: Tensor?)] = [(metrics, nil), (weightedMetrics, sampleWeight)]
        for (lists, weight) in groups {
            for (output, list) in lists.enumerated() where output < yTrue.count && output < yPred.count {
                for metric in list { try metric.checkInputs(yTrue: yTrue[output], yPred: yPred[output], sampleWeight: weight) }
            }
        }
    }

    /// Creates the metric objects once the first batch shows the shapes.
    func buildMetrics(yTrue: [Tensor], yPred: [Tensor]) throws {
        guard metrics.isEmpty else { return }
        func make(_ specs: [[MetricSpec]]) throws -> [[Metric]] {
            try specs.enumerated().map { output, list in
                try list.map { spec in
                    let metric: Metric
                    switch spec {
                    case .metric(let m): metric = m
                    case .name(let name):
                        metric = try Metrics.resolve(name, yTrueShape: yTrue[output].shape, yPredShape: yPred[output].shape)
                    case .function(let name, let body): metric = FunctionMetric(name: name, body)
                    }
                    let prefix = metricPrefix(output: output)
                    if !metric.name.hasPrefix(prefix) { metric.name = prefix + metric.name }
                    return metric
                }
            }
        }
        metrics = try make(metricSpecs)
        weightedMetrics = try make(weightedMetricSpecs)
    }

    func resetTrackers() {
        lossTracker.reset()
        for i in outputLossTrackers.indices { outputLossTrackers[i].reset() }
        for metric in (metrics + weightedMetrics).joined() { metric.resetState() }
    }

    /// The current logs: loss, per-output losses (multi-output models) and every metric.
    func results() -> Logs {
        let logs = Logs()
        logs["loss"] = lossTracker.result
        if isMultiOutput {
            for (name, tracker) in zip(outputNames, outputLossTrackers) { logs[name + "_loss"] = tracker.result }
        }
        for (name, metric) in metricLogEntries() {
            logs[name] = Double(metric.result().scalar)
        }
        return logs
    }

    /// Each compiled metric under its log name, as Keras's `CompileMetrics.result` names them:
    /// a name met again gets `_1`, `_2`, ...; a weighted metric whose name is taken becomes
    /// `weighted_<name>` (`<output>_weighted_<name>` for a multi-output model).
    func metricLogEntries() -> [(name: String, metric: Metric)] {
        var entries: [(name: String, metric: Metric)] = []
        var counters: [String: Int] = [:]
        func add(_ name: String, _ metric: Metric) {
            if let index = counters[name] {
                counters[name] = index + 1
                entries.append(("\(name)_\(index)", metric))
            } else {
                counters[name] = 1
                entries.append((name, metric))
            }
        }
        for metric in metrics.joined() { add(metric.name, metric) }
        for (output, list) in weightedMetrics.enumerated() {
            for metric in list {
                guard counters[metric.name] != nil else {
                    counters[metric.name] = 1
                    entries.append((metric.name, metric))
                    continue
                }
                let prefix = metricPrefix(output: output)
                add(prefix + "weighted_" + metric.name.dropPrefix(prefix), metric)
            }
        }
        return entries
    }

    /// The names of `results()` in the order Keras 3 lists `evaluate`'s values
    /// (`Trainer._flatten_metrics_in_order`): `loss`, the compiled metrics whose own names are log
    /// names (a single-output model's), each output's loss (multi-output), then every other log
    /// name sorted. Empty until the first batch has built the metrics, except for `loss`.
    var logNamesInKerasOrder: [String] {
        guard !metrics.isEmpty else { return ["loss"] }
        let entries = metricLogEntries()
        var logNames = Set(entries.map(\.name) + ["loss"])
        let outputLosses = isMultiOutput ? outputNames.map { $0 + "_loss" } : []
        logNames.formUnion(outputLosses)
        // Keras matches a metric's own name, which lacks the output prefix of a multi-output log.
        let ownNames = entries.map { entry -> String in
            guard let output = metricOutput(entry.metric) else { return entry.metric.name }
            return entry.metric.name.dropPrefix(metricPrefix(output: output))
        }
        var ordered: [String] = []
        for name in ["loss"] + ownNames + outputLosses where logNames.contains(name) && !ordered.contains(name) {
            ordered.append(name)
        }
        return ordered + logNames.subtracting(ordered).sorted()
    }

    private func metricOutput(_ metric: Metric) -> Int? {
        func holds(_ list: [Metric]) -> Bool { list.contains { candidate in candidate === metric } }
        return metrics.firstIndex(where: holds) ?? weightedMetrics.firstIndex(where: holds)
    }
}

private extension String {
    func dropPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
