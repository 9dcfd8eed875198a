import Foundation

/// `evaluate` and `predict` with Keras's semantics (keras-spec §6): in-memory arrays or a `Dataset`.
extension Model {
    /// Loss and metrics over the data, by name.
    @discardableResult
    public func evaluate(_ x: [Tensor], _ y: [Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = [], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        _ = try requireCompiled("evaluate")
        guard batchSize > 0 else { throw KeelError("evaluate batchSize", expected: "a positive number", found: "\(batchSize)") }
        try DataValidation.check(x: x, y: y, sampleWeight: sampleWeight, model: self, what: "evaluate")
        var data = try Dataset.fromTensorSlices(Dataset.sampleElement(x: x, y: y, sampleWeight: sampleWeight))
        // Each rank evaluates its shard; the results are the ranks' means (MetricAverage).
        if Distributed.isActive { data = try Model.evenShard(data) }
        return try evaluate(try data.batch(batchSize), verbose: verbose, callbacks: callbacks)
    }

    @discardableResult
    public func evaluate(_ x: Tensor, _ y: Tensor, batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = []) throws -> [String: Double] {
        try evaluate([x], [y], batchSize: batchSize, verbose: verbose, callbacks: callbacks)
    }

    /// Loss and metrics over `steps` batches of a dataset (all of one iteration when nil).
    @discardableResult
    public func evaluate(_ data: Dataset, steps: Int? = nil, verbose: Verbosity = .auto,
                         callbacks: [Callback] = []) throws -> [String: Double] {
        _ = try requireCompiled("evaluate")
        try Model.checkSteps(steps, of: data, what: "evaluate")
        let level = verbose.level
        let list = CallbackList(callbacks + (level != 0 && Distributed.isRoot ? [ProgbarLogger()] : []), model: self,
                                params: TrainingParams(epochs: 1, steps: steps ?? data.cardinality.count, verbose: level))
        return try runEvaluation(data, steps: steps, callbacks: list, showProgress: true).dictionary
    }

    func runEvaluation(_ data: Dataset, steps: Int?, callbacks: CallbackList, showProgress: Bool) throws -> Logs {
        // Validation inside fit must not disturb the training epoch's running means.
        let saved = compiled.map { ($0.lossTracker, $0.outputLossTrackers, $0.metrics.joined().map { $0.variables.map(\.value) },
                                    $0.weightedMetrics.joined().map { $0.variables.map(\.value) }) }
        compiled?.resetTrackers()
        try callbacks.onTestBegin(Logs())
        var logs = Logs()
        let batches = try data.batches(generator: trainingGenerator, model: self)
        var step = 0
        while step < (steps ?? Int.max), let batch = try batches.next() {
            try callbacks.onTestBatchBegin(step, Logs())
            logs = try testStep(batch)
            try callbacks.onTestBatchEnd(step, logs)
            step += 1
        }
        // A distributed `evaluate` reports the job's result; validation inside `fit` is averaged
        // with the training logs at the epoch's end (MetricAverage).
        if showProgress { try MetricAverage.average(logs) }
        try callbacks.onTestEnd(logs)
        if !showProgress, let compiled, let saved {
            compiled.lossTracker = saved.0
            compiled.outputLossTrackers = saved.1
            for (metric, values) in zip(compiled.metrics.joined(), saved.2) {
                for (variable, value) in zip(metric.variables, values) { variable.assign(value) }
            }
            for (metric, values) in zip(compiled.weightedMetrics.joined(), saved.3) {
                for (variable, value) in zip(metric.variables, values) { variable.assign(value) }
            }
        }
        return logs
    }

    /// Outputs for every sample, batched, in inference mode (one tensor per model output).
    public func predict(_ x: [Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                        callbacks: [Callback] = []) throws -> [Tensor] {
        guard batchSize > 0 else { throw KeelError("predict batchSize", expected: "a positive number", found: "\(batchSize)") }
        try DataValidation.check(x: x, y: nil, sampleWeight: nil, model: self, what: "predict")
        let data = try Dataset.fromTensorSlices(Dataset.sampleElement(x: x, y: [], sampleWeight: nil)).batch(batchSize)
        return try predict(data, verbose: verbose, callbacks: callbacks)
    }

    public func predict(_ x: Tensor, batchSize: Int = 32, verbose: Verbosity = .auto) throws -> Tensor {
        try predict([x], batchSize: batchSize, verbose: verbose)[0]
    }

    /// Outputs for `steps` batches of a dataset (all of one iteration when nil); targets in the
    /// elements are ignored, as Keras ignores them.
    public func predict(_ data: Dataset, steps: Int? = nil, verbose: Verbosity = .auto,
                        callbacks: [Callback] = []) throws -> [Tensor] {
        try Model.checkSteps(steps, of: data, what: "predict")
        let level = verbose.level
        let list = CallbackList(callbacks + (level != 0 ? [ProgbarLogger()] : []), model: self,
                                params: TrainingParams(epochs: 1, steps: steps ?? data.cardinality.count, verbose: level))
        try list.onPredictBegin(Logs())
        var pieces: [[Tensor]] = []
        let batches = try data.batches(generator: trainingGenerator, model: self)
        while pieces.count < (steps ?? Int.max), let batch = try batches.next() {
            try list.onPredictBatchBegin(pieces.count, Logs())
            pieces.append(predictStep(batch))
            try list.onPredictBatchEnd(pieces.count - 1, Logs())
        }
        try list.onPredictEnd(Logs())
        guard let first = pieces.first else { return [] }
        return first.indices.map { output in Tensor.concatenate(pieces.map { $0[output] }, axis: 0) }
    }

    static func checkSteps(_ steps: Int?, of data: Dataset, what: String) throws {
        if let steps, steps <= 0 { throw KeelError("\(what) steps", expected: "a positive number", found: "\(steps)") }
        if steps == nil && data.cardinality == .infinite {
            throw KeelError("\(what) on an infinite dataset (repeat() without a count)", expected: "steps", found: "nil")
        }
    }
}
