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

    /// Keras's default train_step: forward with `training: true`, loss, gradients, optimizer
    /// update, metrics; returns the running epoch means.
    public func defaultTrainStep(_ batch: Batch) throws -> Logs {
        let compiled = try requireCompiled("trainStep")
        let tape = GradientTape()
        let (loss, predictions, masks) = try tape.record { () throws -> (Tensor, [Tensor], [Tensor?]) in
            let (predictions, masks) = forwardWithMasks(batch.x, training: true)
            try compiled.checkLossInputs(yTrue: batch.y, yPred: predictions, model: self)
            return (computeLoss(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks), predictions, masks)
        }
        // Gathered after the forward pass: a subclassed model's layers build on its first call.
        let variables = compiled.trainableVariables(of: self)
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
        try compiled.checkLossInputs(yTrue: batch.y, yPred: predictions, model: self)
        try compiled.buildMetrics(yTrue: batch.y, yPred: predictions)
        try compiled.checkMetricInputs(yTrue: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight)
        let loss = computeLoss(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks)
        compiled.lossTracker.add(loss.scalar, weight: Float(batch.size))
        updateMetrics(y: batch.y, yPred: predictions, sampleWeight: batch.sampleWeight, masks: masks)
        return metricResults()
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
