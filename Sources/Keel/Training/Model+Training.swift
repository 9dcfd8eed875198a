import Foundation

/// `fit`, `evaluate`, `predict` and the overridable steps, with Keras's semantics (keras-spec §6).
extension Model {
    /// The compiled state, or a clear error when `compile` was not called.
    func requireCompiled(_ what: String) throws -> CompiledState {
        guard let compiled, optimizer != nil else {
            throw KeelError("\(what) on model '\(name)'", expected: "a compiled model (call compile first)",
                            found: "an uncompiled model")
        }
        return compiled
    }

    /// The total loss of a batch (Keras's `compute_loss`): Σ weight·loss per output plus the
    /// losses layers added in this forward pass. Also updates the loss trackers.
    /// `masks` are the masks the predictions carry (`forwardWithMasks`), one per output.
    public func computeLoss(y: [Tensor], yPred: [Tensor], sampleWeight: Tensor?, masks: [Tensor?] = []) -> Tensor {
        guard let compiled else { OpCheck.fail("computeLoss: model '\(name)' is not compiled") }
        var total: Tensor? = nil
        for (i, loss) in compiled.losses.enumerated() {
            guard let loss else { continue }
            let value = loss(y[i], yPred[i], sampleWeight: sampleWeight, predictionMask: i < masks.count ? masks[i] : nil)
            compiled.outputLossTrackers[i].add(value.scalar, weight: Float(y[i].shape.first ?? 1))
            let weighted = compiled.lossWeights[i] == 1 ? value : value * compiled.lossWeights[i]
            total = total.map { $0 + weighted } ?? weighted
        }
        for extra in losses { total = total.map { $0 + extra.sum() } ?? extra.sum() }
        return total ?? Tensor(0)
    }

    /// Updates the compiled metrics with a batch's targets and predictions.
    /// A prediction's mask weighs the metrics that average per position (Keras's
    /// MeanMetricWrapper: accuracy, the loss-function metrics) as Keras's `apply_mask` does.
    public func updateMetrics(y: [Tensor], yPred: [Tensor], sampleWeight: Tensor?, masks: [Tensor?] = []) {
        guard let compiled else { return }
        func weight(_ given: Tensor?, _ metric: Metric, output i: Int) -> Tensor? {
            guard metric is Metrics.MeanMetricWrapper, i < masks.count, let mask = masks[i] else { return given }
            return LossReduction.applying(mask: mask, to: given, reduction: .sum)
        }
        for (i, list) in compiled.metrics.enumerated() {
            for metric in list { metric.updateState(yTrue: y[i], yPred: yPred[i], sampleWeight: weight(nil, metric, output: i)) }
        }
        for (i, list) in compiled.weightedMetrics.enumerated() {
            for metric in list {
                metric.updateState(yTrue: y[i], yPred: yPred[i], sampleWeight: weight(sampleWeight, metric, output: i))
            }
        }
    }

    /// The running results of the current epoch (what `trainStep` returns by default).
    public func metricResults() -> Logs { compiled?.results() ?? Logs() }

    // MARK: fit

    @discardableResult
    public func fit(_ x: Tensor, _ y: Tensor, batchSize: Int = 32, epochs: Int = 1, verbose: Verbosity = .auto,
                    callbacks: [Callback] = [], validationSplit: Double = 0, validationData: (Tensor, Tensor)? = nil,
                    shuffle: Bool = true, classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil,
                    initialEpoch: Int = 0, stepsPerEpoch: Int? = nil) throws -> History {
        try fit([x], [y], batchSize: batchSize, epochs: epochs, verbose: verbose, callbacks: callbacks,
                validationSplit: validationSplit, validationData: validationData.map { ([$0.0], [$0.1]) },
                shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight, initialEpoch: initialEpoch,
                stepsPerEpoch: stepsPerEpoch)
    }

    /// Training without targets: a custom `trainStep` (a GAN) takes what it needs from `x`.
    @discardableResult
    public func fit(_ x: Tensor, batchSize: Int = 32, epochs: Int = 1, verbose: Verbosity = .auto,
                    callbacks: [Callback] = [], shuffle: Bool = true, initialEpoch: Int = 0,
                    stepsPerEpoch: Int? = nil) throws -> History {
        try fit([x], [], batchSize: batchSize, epochs: epochs, verbose: verbose, callbacks: callbacks,
                shuffle: shuffle, initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch)
    }

    @discardableResult
    public func fit(_ x: [Tensor], _ y: [Tensor], batchSize: Int = 32, epochs: Int = 1, verbose: Verbosity = .auto,
                    callbacks: [Callback] = [], validationSplit: Double = 0, validationData: ([Tensor], [Tensor])? = nil,
                    shuffle: Bool = true, classWeight: [Int: Float]? = nil, sampleWeight: Tensor? = nil,
                    initialEpoch: Int = 0, stepsPerEpoch: Int? = nil) throws -> History {
        guard batchSize > 0, epochs >= 0 else {
            throw KeelError("fit arguments", expected: "batchSize > 0 and epochs ≥ 0", found: "batchSize \(batchSize), epochs \(epochs)")
        }
        guard (0..<1).contains(validationSplit) else {
            throw KeelError("fit validationSplit", expected: "a fraction in [0, 1)", found: "\(validationSplit)")
        }
        try DataValidation.check(x: x, y: y.isEmpty ? nil : y, sampleWeight: sampleWeight, model: self, what: "fit")
        if let (vx, vy) = validationData {
            try DataValidation.check(x: vx, y: vy, sampleWeight: nil, model: self, what: "validation")
        }
        var weights = sampleWeight
        if let classWeight { weights = Model.sampleWeights(for: y[0], classWeight: classWeight, base: weights) }
        var training = Dataset(x: x, y: y, sampleWeight: weights, batchSize: batchSize, shuffle: shuffle)
        var validation = validationData.map { Dataset(x: $0.0, y: $0.1, batchSize: batchSize) }
        if validationSplit > 0 {
            let keep = Int(Double(training.count) * (1 - validationSplit))
            guard keep > 0, keep < training.count else {
                throw KeelError("fit validationSplit \(validationSplit)", expected: "a split leaving samples on both sides",
                                found: "\(training.count) samples")
            }
            (training, validation) = training.split(at: keep)
            validation?.shuffle = false
        }
        if Distributed.isActive {
            // Each rank trains on its shard of every epoch's order and averages its gradients
            // with the others': together one step of batch size·batchSize.
            training = try training.shard(count: Distributed.size, index: Distributed.rank)
            validation = try validation?.shard(count: Distributed.size, index: Distributed.rank)
            if let optimizer { DistributedOptimizer(wrapping: optimizer) }
        }
        let steps = stepsPerEpoch.map { min($0, training.batchCount) } ?? training.batchCount
        let level = verbose.level
        var all = try FitDefaults.callbacks(adding: callbacks)
        if Distributed.isActive {
            // Horovod's order: metrics averaged before any other callback sees the epoch's logs.
            if !all.contains(where: { $0 is MetricAverage }) { all.insert(MetricAverage(), at: 0) }
            if !all.contains(where: { $0 is BroadcastGlobalVariables }) { all.append(BroadcastGlobalVariables()) }
        }
        let history = callbacks.compactMap { $0 as? History }.first ?? History()
        if !all.contains(where: { $0 === history }) { all.append(history) }
        if level != 0 && Distributed.isRoot { all.append(ProgbarLogger()) }
        // Callbacks made in Swift are checked here, as Keras's constructors check their arguments.
        for callback in callbacks { try callback.check() }
        let list = CallbackList(all, model: self, params: TrainingParams(epochs: epochs, steps: steps, verbose: level))
        stopTraining = false
        try list.onTrainBegin(Logs())
        var epochLogs = Logs()
        var epoch = initialEpochOverride ?? initialEpoch
        initialEpochOverride = nil
        while epoch < epochs && !stopTraining {
            resetMetrics()
            try list.onEpochBegin(epoch, Logs())
            var logs = Logs()
            for (step, batch) in training.epoch(generator: trainingGenerator).enumerated() {
                if step >= steps { break }
                try list.onTrainBatchBegin(step, Logs())
                logs = try trainStep(batch)
                try list.onTrainBatchEnd(step, logs)
                if Distributed.isActive { try agreeOnStopping() }
                if stopTraining { break }
            }
            epochLogs = logs.copy()
            if let validation {
                let validationLogs = try runEvaluation(validation, callbacks: list, showProgress: false)
                epochLogs.merge(validationLogs, prefix: "val_")
            }
            try list.onEpochEnd(epoch, epochLogs)
            if Distributed.isActive { try agreeOnStopping() }
            epoch += 1
        }
        try list.onTrainEnd(epochLogs)
        return history
    }

    /// In a distributed `fit` every rank must take the same steps: a rank stopping alone (a NaN
    /// loss seen by TerminateOnNaN on its shard, a callback of its own) would leave the others
    /// waiting in their next gradient allreduce. When any rank stops, all do.
    private func agreeOnStopping() throws {
        stopTraining = try Distributed.allreduce([stopTraining ? 1 : 0], op: .max, name: "decision to stop training")[0] > 0
    }

    /// Keras's default train_step: forward with `training: true`, loss, gradients, optimizer
    /// update, metrics; returns the running epoch means.
    public func defaultTrainStep(_ batch: Batch) throws -> Logs {
        let compiled = try requireCompiled("trainStep")
        let variables = compiled.trainableVariables(of: self)
        let tape = GradientTape()
        let (loss, predictions, masks) = try tape.record { () throws -> (Tensor, [Tensor], [Tensor?]) in
            let (predictions, masks) = forwardWithMasks(batch.x, training: true)
            try compiled.checkLossInputs(yTrue: batch.y, yPred: predictions)
            return (computeLoss(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks), predictions, masks)
        }
        // Metrics need only the shapes, so they are made outside the recording.
        try compiled.buildMetrics(yTrue: batch.y, yPred: predictions)
        try compiled.checkMetricInputs(yTrue: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
        // Averaged across ranks while the backward pass runs when the optimizer is distributed.
        let optimizer = optimizer!
        optimizer.apply(optimizer.gradients(of: loss, wrt: variables, from: tape), to: variables)
        compiled.lossTracker.add(loss.scalar, weight: Float(batch.size))
        updateMetrics(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks)
        return metricResults()
    }

    /// Keras's default test_step (inference mode).
    public func defaultTestStep(_ batch: Batch) throws -> Logs {
        let compiled = try requireCompiled("testStep")
        let (predictions, masks) = forwardWithMasks(batch.x, training: false)
        try compiled.buildMetrics(yTrue: batch.y, yPred: predictions)
        try compiled.checkLossInputs(yTrue: batch.y, yPred: predictions)
        try compiled.checkMetricInputs(yTrue: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
        let loss = computeLoss(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks)
        compiled.lossTracker.add(loss.scalar, weight: Float(batch.size))
        updateMetrics(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks)
        return metricResults()
    }

    // MARK: evaluate / predict

    /// Loss and metrics over the data, by name.
    @discardableResult
    public func evaluate(_ x: [Tensor], _ y: [Tensor], batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = [], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        _ = try requireCompiled("evaluate")
        guard batchSize > 0 else { throw KeelError("evaluate batchSize", expected: "a positive number", found: "\(batchSize)") }
        try DataValidation.check(x: x, y: y, sampleWeight: sampleWeight, model: self, what: "evaluate")
        let level = verbose.level
        var data = Dataset(x: x, y: y, sampleWeight: sampleWeight, batchSize: batchSize)
        var steps = (x[0].shape[0] - 1) / batchSize + 1
        if Distributed.isActive {
            // Each rank evaluates its shard; the results are the ranks' means (MetricAverage).
            data = try data.shard(count: Distributed.size, index: Distributed.rank)
            steps = data.batchCount
        }
        let list = CallbackList(callbacks + (level != 0 && Distributed.isRoot ? [ProgbarLogger()] : []), model: self,
                                params: TrainingParams(epochs: 1, steps: steps, verbose: level))
        let logs = try runEvaluation(data, callbacks: list, showProgress: true)
        return logs.dictionary
    }

    @discardableResult
    public func evaluate(_ x: Tensor, _ y: Tensor, batchSize: Int = 32, verbose: Verbosity = .auto,
                         callbacks: [Callback] = []) throws -> [String: Double] {
        try evaluate([x], [y], batchSize: batchSize, verbose: verbose, callbacks: callbacks)
    }

    func runEvaluation(_ data: Dataset, callbacks: CallbackList, showProgress: Bool) throws -> Logs {
        // Validation inside fit must not disturb the training epoch's running means.
        let saved = compiled.map { ($0.lossTracker, $0.outputLossTrackers, $0.metrics.joined().map { $0.variables.map(\.value) },
                                    $0.weightedMetrics.joined().map { $0.variables.map(\.value) }) }
        compiled?.resetTrackers()
        try callbacks.onTestBegin(Logs())
        var logs = Logs()
        for (step, batch) in data.epoch(generator: trainingGenerator).enumerated() {
            try callbacks.onTestBatchBegin(step, Logs())
            logs = try testStep(batch)
            try callbacks.onTestBatchEnd(step, logs)
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
        let data = Dataset(x: x, batchSize: batchSize)
        let level = verbose.level
        let list = CallbackList(callbacks + (level != 0 ? [ProgbarLogger()] : []), model: self,
                                params: TrainingParams(epochs: 1, steps: data.batchCount, verbose: level))
        try list.onPredictBegin(Logs())
        var pieces: [[Tensor]] = []
        for (step, batch) in data.epoch(generator: trainingGenerator).enumerated() {
            try list.onPredictBatchBegin(step, Logs())
            pieces.append(predictStep(batch))
            try list.onPredictBatchEnd(step, Logs())
        }
        try list.onPredictEnd(Logs())
        guard let first = pieces.first else { return [] }
        return first.indices.map { output in Tensor.concatenate(pieces.map { $0[output] }, axis: 0) }
    }

    public func predict(_ x: Tensor, batchSize: Int = 32, verbose: Verbosity = .auto) throws -> Tensor {
        try predict([x], batchSize: batchSize, verbose: verbose)[0]
    }


    // MARK: single batches

    @discardableResult
    public func trainOnBatch(_ x: [Tensor], _ y: [Tensor], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        let compiled = try requireCompiled("trainOnBatch")
        try DataValidation.check(x: x, y: y, sampleWeight: sampleWeight, model: self, what: "trainOnBatch")
        compiled.resetTrackers()
        return try trainStep(Batch(x: x, y: y, sampleWeight: sampleWeight)).dictionary
    }

    @discardableResult
    public func testOnBatch(_ x: [Tensor], _ y: [Tensor], sampleWeight: Tensor? = nil) throws -> [String: Double] {
        let compiled = try requireCompiled("testOnBatch")
        try DataValidation.check(x: x, y: y, sampleWeight: sampleWeight, model: self, what: "testOnBatch")
        compiled.resetTrackers()
        return try testStep(Batch(x: x, y: y, sampleWeight: sampleWeight)).dictionary
    }

    public func predictOnBatch(_ x: [Tensor]) throws -> [Tensor] {
        try DataValidation.check(x: x, y: nil, sampleWeight: nil, model: self, what: "predictOnBatch")
        return forward(x, training: false)
    }

    // MARK: helpers

    /// Keras's class_weight: each sample weighted by the weight of its class (sparse ids or one-hot rows).
    static func sampleWeights(for y: Tensor, classWeight: [Int: Float], base: Tensor?) -> Tensor {
        let classes = y.rank >= 2 && (y.shape.last ?? 1) > 1 ? y.argmax(axis: -1).int32Scalars : y.int32Scalars
        let weights = Tensor(shape: [classes.count], scalars: classes.map { classWeight[Int($0)] ?? 1 })
        return base.map { $0 * weights } ?? weights
    }
}

/// Keras's `verbose`: 0 silent, 1 progress bar, 2 one line per epoch, auto = 1 on a terminal, 2 otherwise.
public enum Verbosity: ExpressibleByIntegerLiteral {
    case silent, progressBar, oneLinePerEpoch, auto

    public init(integerLiteral value: Int) {
        switch value {
        case 0: self = .silent
        case 1: self = .progressBar
        default: self = .oneLinePerEpoch
        }
    }

    public var level: Int {
        switch self {
        case .silent: return 0
        case .progressBar: return 1
        case .oneLinePerEpoch: return 2
        case .auto: return isatty(STDOUT_FILENO) != 0 ? 1 : 2
        }
    }
}
