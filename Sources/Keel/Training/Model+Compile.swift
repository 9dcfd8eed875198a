/// `model.compile(...)`.
extension Model {
    /// The output names Keras uses in logs (`<name>_loss`): each output layer's name.
    public var outputNames: [String] {
        isFunctional ? outputs.map { $0.layer?.name ?? "output" } : ["output"]
    }

    public func compile(optimizer: OptimizerSpec, loss: LossesSpec, metrics: MetricsSpec = .all([]),
                        lossWeights: [String: Float]? = nil, weightedMetrics: MetricsSpec = .all([])) throws {
        // A subclassed model's outputs are known only when it runs; as in Keras, a list of losses
        // says how many it has, and each output's logs are named after its loss.
        var names = outputNames
        var outputsHaveNames = true
        if isSubclassed, case .perOutput(let list) = loss, list.count > 1 {
            names = list.enumerated().map { index, spec in spec?.nameForUnnamedOutput ?? "output_\(index + 1)" }
            outputsHaveNames = false
        }
        func perOutput<T>(_ spec: T?, all: (T) -> [T?]) -> [T?] { spec.map(all) ?? Array(repeating: nil, count: names.count) }
        let losses: [LossSpec?]
        switch loss {
        case .all(let spec): losses = Array(repeating: spec, count: names.count)
        case .perOutput(let list):
            guard list.count == names.count else {
                throw KeelError("compile(loss:) for model '\(name)'", expected: "\(names.count) losses, one per output",
                                found: "\(list.count)")
            }
            losses = list
        case .byName(let table):
            for key in table.keys where !names.contains(key) {
                throw KeelError("compile(loss:) output name '\(key)'", expected: "one of \(names.joined(separator: ", "))",
                                found: "no such output")
            }
            losses = names.map { table[$0] }
        }
        func metricLists(_ spec: MetricsSpec, field: String) throws -> [[MetricSpec]] {
            switch spec {
            case .all(let list):
                // Metric objects cannot be shared between outputs; names and functions can.
                return names.indices.map { $0 == 0 ? list : list.filter(\.makesFreshMetric) }
            case .perOutput(let lists):
                guard lists.count == names.count else {
                    throw KeelError("compile(\(field):) for model '\(name)'", expected: "\(names.count) lists, one per output",
                                    found: "\(lists.count)")
                }
                return lists
            case .byName(let table):
                for key in table.keys where !names.contains(key) {
                    throw KeelError("compile(\(field):) output name '\(key)'", expected: "one of \(names.joined(separator: ", "))",
                                    found: "no such output")
                }
                return names.map { table[$0] ?? [] }
            }
        }
        var weights = Array(repeating: Float(1), count: names.count)
        if let lossWeights {
            for (key, value) in lossWeights {
                guard let index = names.firstIndex(of: key) else {
                    throw KeelError("compile(lossWeights:) output name '\(key)'", expected: "one of \(names.joined(separator: ", "))",
                                    found: "no such output")
                }
                weights[index] = value
            }
        }
        self.optimizer = try optimizer.resolve()
        compiled = try CompiledState(outputNames: names, outputsHaveNames: outputsHaveNames, losses: losses, lossWeights: weights,
                                     metrics: try metricLists(metrics, field: "metrics"),
                                     weightedMetrics: try metricLists(weightedMetrics, field: "weightedMetrics"))
    }

    /// The common case: one optimizer, one loss, metric names or objects.
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [MetricSpec] = []) throws {
        try compile(optimizer: .optimizer(optimizer), loss: .all(.loss(loss)), metrics: .all(metrics))
    }
}

extension Model {
    /// Makes the compiled metrics from a batch's targets and predictions if they are not made yet
    /// (names such as "accuracy" resolve from the shapes). A custom `trainStep` that calls
    /// `computeLoss` and `updateMetrics` itself calls this first, as Keras builds them on first use.
    public func buildMetrics(y: [Tensor], yPred: [Tensor]) throws {
        try compiled?.buildMetrics(yTrue: y, yPred: yPred)
    }
}
