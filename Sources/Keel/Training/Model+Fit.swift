import Foundation

/// `fit` with Keras's semantics (keras-spec §6): in-memory arrays or a `Dataset`.
extension Model {
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
        var (trainX, trainY) = (x, y)
        var validation = validationData
        let count = x[0].shape[0]
        if validationSplit > 0 {
            // Keras takes the last part, unshuffled.
            let keep = Int(Double(count) * (1 - validationSplit))
            guard keep > 0, keep < count else {
                throw KeelError("fit validationSplit \(validationSplit)", expected: "a split leaving samples on both sides",
                                found: "\(count) samples")
            }
            func rows(_ t: Tensor, _ range: Range<Int>) -> Tensor {
                var begin = [Int](repeating: 0, count: t.rank), size = t.shape
                begin[0] = range.lowerBound
                size[0] = range.count
                return t.slice(begin: begin, size: size)
            }
            validation = (x.map { rows($0, keep..<count) }, y.map { rows($0, keep..<count) })
            (trainX, trainY) = (x.map { rows($0, 0..<keep) }, y.map { rows($0, 0..<keep) })
            weights = weights.map { rows($0, 0..<keep) }
        }
        var training = try Dataset.fromTensorSlices(Dataset.sampleElement(x: trainX, y: trainY, sampleWeight: weights))
        if shuffle, let n = training.cardinality.count, n > 0 { training = try training.shuffle(bufferSize: n) }
        var validating = try validation.map { try Dataset.fromTensorSlices(Dataset.sampleElement(x: $0.0, y: $0.1, sampleWeight: nil)) }
        if Distributed.isActive {
            // Each rank trains on its shard of every epoch's order (the same order on every rank)
            // and averages its gradients with the others': together one step of size·batchSize.
            // All ranks take the same number of steps: the remainder is left out.
            training = try Model.evenShard(training)
            validating = try validating.map(Model.evenShard)
        }
        training = try training.batch(batchSize).prefetch(1)
        validating = try validating?.batch(batchSize)
        let batches = training.cardinality.count ?? 0
        return try fit(training, epochs: epochs, verbose: verbose, callbacks: callbacks, validationData: validating,
                       initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch.map { min($0, batches) } ?? batches,
                       inMemoryArrays: true)
    }

    /// Samples `data` splits evenly across the ranks of a distributed job.
    static func evenShard(_ data: Dataset) throws -> Dataset {
        let n = data.cardinality.count ?? 0
        return try data.take(n - n % Distributed.size).shard(count: Distributed.size, index: Distributed.rank)
    }

    /// Trains on the batches of a `Dataset` (Keras's `fit(dataset)`): each element is a batch
    /// `(x, y)`, `(x, y, sample_weight)` or `x` (see `Dataset.batches`). Without `stepsPerEpoch`
    /// every epoch is one iteration of the dataset; with it, epochs take that many batches from
    /// one iteration that continues across epochs, and training stops, as Keras's does, when the
    /// data runs out. Validation runs every `validationFreq` epochs, on `validationSteps`
    /// batches (all when nil).
    ///
    /// In a distributed job each rank passes its own shard (`shard(count: Distributed.size,
    /// index: Distributed.rank)`), and the shards must give every rank the same number of batches.
    @discardableResult
    public func fit(_ data: Dataset, epochs: Int = 1, verbose: Verbosity = .auto, callbacks: [Callback] = [],
                    validationData: Dataset? = nil, initialEpoch: Int = 0, stepsPerEpoch: Int? = nil,
                    validationSteps: Int? = nil, validationFreq: Int = 1) throws -> History {
        try fit(data, epochs: epochs, verbose: verbose, callbacks: callbacks, validationData: validationData,
                initialEpoch: initialEpoch, stepsPerEpoch: stepsPerEpoch, validationSteps: validationSteps,
                validationFreq: validationFreq, inMemoryArrays: false)
    }

    func fit(_ data: Dataset, epochs: Int, verbose: Verbosity, callbacks: [Callback], validationData: Dataset?,
             initialEpoch: Int, stepsPerEpoch: Int?, validationSteps: Int? = nil, validationFreq: Int = 1,
             inMemoryArrays: Bool) throws -> History {
        guard epochs >= 0, validationFreq > 0, (stepsPerEpoch ?? 1) > 0, (validationSteps ?? 1) > 0 else {
            throw KeelError("fit arguments", expected: "epochs ≥ 0, validationFreq ≥ 1, stepsPerEpoch and validationSteps ≥ 1",
                            found: "epochs \(epochs), validationFreq \(validationFreq), stepsPerEpoch \(stepsPerEpoch.map(String.init) ?? "nil"), validationSteps \(validationSteps.map(String.init) ?? "nil")")
        }
        if data.cardinality == .infinite && stepsPerEpoch == nil {
            throw KeelError("fit on an infinite dataset (repeat() without a count)", expected: "stepsPerEpoch", found: "nil")
        }
        if validationData?.cardinality == .infinite && validationSteps == nil {
            throw KeelError("fit validationData (an infinite dataset)", expected: "validationSteps", found: "nil")
        }
        // Keras keeps one iteration across epochs when steps per epoch are given for a dataset.
        let continuing = stepsPerEpoch != nil && !inMemoryArrays
        let steps = stepsPerEpoch ?? data.cardinality.count
        let level = verbose.level
        var all = try FitDefaults.callbacks(adding: callbacks)
        if Distributed.isActive {
            // Horovod's order: metrics averaged before any other callback sees the epoch's logs.
            if !all.contains(where: { $0 is MetricAverage }) { all.insert(MetricAverage(), at: 0) }
            if !all.contains(where: { $0 is BroadcastGlobalVariables }) { all.append(BroadcastGlobalVariables()) }
            if let optimizer { DistributedOptimizer(wrapping: optimizer) }
        }
        let history = callbacks.compactMap { $0 as? History }.first ?? History()
        if !all.contains(where: { $0 === history }) { all.append(history) }
        if level != 0 && Distributed.isRoot { all.append(ProgbarLogger()) }
        // Callbacks made in Swift are checked here, as Keras's constructors check their arguments.
        for callback in callbacks { try callback.check() }
        let list = CallbackList(all, model: self, params: TrainingParams(epochs: epochs, steps: steps, verbose: level))
        stopTraining = false
        fitDataPosition = nil
        restoredDataPosition = nil
        try list.onTrainBegin(Logs())
        var epochLogs = Logs()
        var epoch = initialEpochOverride ?? initialEpoch
        initialEpochOverride = nil
        var persistent: BatchIterator?
        while epoch < epochs && !stopTraining {
            resetMetrics()
            try list.onEpochBegin(epoch, Logs())
            let iterator: BatchIterator
            if continuing {
                if persistent == nil { persistent = try continuingIterator(data) }
                iterator = persistent!
            } else {
                iterator = try data.batches(IterationContext(seed: trainingGenerator.nextSeed(), epoch: epoch), model: self,
                                            check: !inMemoryArrays)
            }
            var logs = Logs()
            var step = 0
            while step < (steps ?? Int.max), let batch = try iterator.next() {
                try list.onTrainBatchBegin(step, Logs())
                logs = try trainStep(batch)
                if continuing { fitDataPosition?.batches = iterator.position }
                try list.onTrainBatchEnd(step, logs)
                step += 1
                if Distributed.isActive { try agreeOnStopping() }
                if stopTraining { break }
            }
            if step == 0 {
                guard continuing else {
                    throw KeelError("fit on model '\(name)'", expected: "training data with at least one batch", found: "an empty dataset")
                }
                print("UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `steps_per_epoch * epochs` batches.")
                stopTraining = true
                break
            }
            if continuing && step < (steps ?? 0) {
                print("UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `steps_per_epoch * epochs` batches.")
                stopTraining = true
            }
            epochLogs = logs.copy()
            if let validationData, (epoch + 1) % validationFreq == 0 {
                let validationLogs = try runEvaluation(validationData, steps: validationSteps, callbacks: list, showProgress: false)
                epochLogs.merge(validationLogs, prefix: "val_")
            }
            try list.onEpochEnd(epoch, epochLogs)
            if Distributed.isActive { try agreeOnStopping() }
            epoch += 1
        }
        try list.onTrainEnd(epochLogs)
        fitDataPosition = nil
        return history
    }

    /// The one iteration a `fit` with steps per epoch continues across epochs: a new one, or the
    /// one a restored snapshot was in, at the batch it had reached.
    private func continuingIterator(_ data: Dataset) throws -> BatchIterator {
        let position = restoredDataPosition ?? DataPosition(seed: trainingGenerator.nextSeed(), batches: 0)
        restoredDataPosition = nil
        let iterator = try data.batches(IterationContext(seed: position.seed, epoch: 0), model: self, check: true)
        let skipped = try iterator.skip(position.batches)
        guard skipped == position.batches else {
            throw KeelError("fit resuming a dataset iteration", expected: "at least \(position.batches) batches to skip",
                            found: "\(skipped) (the dataset is not the one the backup was made with)")
        }
        fitDataPosition = position
        return iterator
    }

    /// In a distributed `fit` every rank must take the same steps: a rank stopping alone (a NaN
    /// loss seen by TerminateOnNaN on its shard, a callback of its own) would leave the others
    /// waiting in their next gradient allreduce. When any rank stops, all do.
    private func agreeOnStopping() throws {
        stopTraining = try Distributed.allreduce([stopTraining ? 1 : 0], op: .max, name: "decision to stop training")[0] > 0
    }
}

/// Where a `fit` that continues one dataset iteration across epochs stands: the iteration's seed
/// and the batches taken from it. A BackupAndRestore snapshot keeps it, so a resumed run takes
/// the same batches next.
public struct DataPosition: Equatable, Sendable {
    public var seed: UInt64
    public var batches: Int
}
