import Foundation
import Keel

/// The hand-written loops of seed 003 (notes on custom training loops), one per `program`:
/// - `train_eval` (default): Deep Learning with Python's MNIST model (Dense 512 relu, Dropout 0.5,
///   Dense 10 softmax) with sparse categorical cross-entropy and RMSprop; each epoch's logs are the
///   running means of the loss and of SparseCategoricalAccuracy, batches of 32 in order, 3 epochs,
///   then the evaluation loop over the validation images (`val_` logs). Fashion-MNIST stands in for
///   MNIST. `--set step=on_batch` takes each step with `trainOnBatch`/`testOnBatch` on the model
///   compiled with the same loss, optimizer and metric, in place of the GradientTape step.
/// - `training_flag`: Flatten(inputShape 28×28) → Dense 128 → BatchNormalization → Dropout 0.5 →
///   Dense 10 logits, sparse cross-entropy from logits, Adam 1e-3, batch 32, 5 epochs on 1000 random
///   images with random labels (as the seed), `training: true` in the step and false to predict.
/// - `trackers`: Dense 64 relu → Dense 10 softmax, built by its first batch, the per-sample sparse
///   cross-entropy (its gradient is that of the sum, as TensorFlow's of a vector), Adam, a
///   SparseCategoricalAccuracy and a Mean loss tracker reset each epoch, 3 epochs of 32 on 1000
///   random 32-feature samples.
/// `epochs` 0 (the default) trains as many epochs as the seed's program does.
final class HandLoops: Experiment {
    override class var name: String { "hand-loops" }
    override class var summary: String { "Seed 003's hand-written training and evaluation loops (GradientTape or trainOnBatch)" }
    override class var defaults: [String: HyperValue] {
        ["program": .string("train_eval"), "step": .string("tape"), "epochs": .int(0), "batch_size": .int(32),
         "train_samples": .int(50_000), "validation_samples": .int(10_000), "random_samples": .int(1000)]
    }

    override func run(_ context: ExperimentContext) throws {
        switch try context.string("program") {
        case "train_eval": try trainAndEvaluate(context)
        case "training_flag": try trainingFlag(context)
        case "trackers": try trackers(context)
        case let other: throw KeelError("hyper-parameter 'program'", expected: "train_eval, training_flag or trackers", found: other)
        }
    }

    /// The `epochs` hyper-parameter, 0 standing for the seed program's own count.
    private func epochs(_ context: ExperimentContext, seed: Int) throws -> Int {
        let given = try context.int("epochs")
        return given > 0 ? given : seed
    }

    /// One epoch's logs as a CSV row, the loop position saved after it.
    private func finishEpoch(_ epoch: Int, _ values: [Double], csv: CSVLogFile, checkpoint: ExperimentCheckpoint,
                             context: ExperimentContext) throws {
        try csv.append([String(epoch)] + values.map { JSONValue.pythonRepr($0) })
        try checkpoint.save(LoopPosition(epoch: epoch + 1))
    }

    private func trainAndEvaluate(_ context: ExperimentContext) throws {
        let split = try FashionMNIST().trainValidationSplit(trainSamples: try context.int("train_samples"),
                                                           validationSamples: try context.int("validation_samples"))
        let x = split.x.reshaped([split.x.shape[0], 784]), y = split.y
        let vx = split.validationX.reshaped([split.validationX.shape[0], 784]), vy = split.validationY
        let batchSize = try context.int("batch_size")
        let onBatch: Bool
        switch try context.string("step") {
        case "tape": onBatch = false
        case "on_batch": onBatch = true
        case let other: throw KeelError("hyper-parameter 'step'", expected: "tape or on_batch", found: other)
        }

        let model = try SeedModels.fashionMLP()
        let lossFunction = SparseCategoricalCrossentropy()
        let optimizer = RMSprop()
        let accuracy = Metrics.SparseCategoricalAccuracy(), lossTracker = Metrics.Mean(name: "loss")
        // trainOnBatch needs the model compiled; the tape loop keeps its optimizer beside the model.
        try model.compile(optimizer: .optimizer(optimizer), loss: .all(.loss(lossFunction)),
                          metrics: [.metric(Metrics.SparseCategoricalAccuracy())])
        let checkpoint = context.checkpoint
        checkpoint.track(model)
        let csv = try CSVLogFile(path: context.runDirectory.log, header: ["epoch", "loss", "sparse_categorical_accuracy"])
        checkpoint.track(file: csv.path)
        let train = try Dataset(x: [x], y: [y], batchSize: batchSize)
        let validation = try Dataset(x: [vx], y: [vy], batchSize: batchSize)

        /// One step; returns the batch's logs when taken by `trainOnBatch`/`testOnBatch` (nil: the
        /// trackers hold them).
        func step(_ batch: Batch, training: Bool) throws {
            if onBatch {
                // The per-batch logs of the *_on_batch calls, averaged over the epoch by batch size.
                let logs = training ? try model.trainOnBatch(batch.x, batch.y) : try model.testOnBatch(batch.x, batch.y)
                let weight = Tensor(Float(batch.size))
                lossTracker.updateState(values: Tensor(Float(logs["loss"] ?? .nan)), sampleWeight: weight)
                accuracy.updateState(values: Tensor(Float(logs["sparse_categorical_accuracy"] ?? .nan)), sampleWeight: weight)
                return
            }
            let tape = GradientTape()
            let (loss, predictions) = tape.record { () -> (Tensor, Tensor) in
                let predictions = model(batch.x[0], training: training)
                return (lossFunction(batch.y[0], predictions), predictions)
            }
            if training {
                let variables = model.trainableWeights
                optimizer.apply(tape.gradient(of: loss, wrt: variables), to: variables)
            }
            accuracy.updateState(yTrue: batch.y[0], yPred: predictions)
            lossTracker.updateState(values: loss)
        }
        func resetMetrics() {
            accuracy.resetState()
            lossTracker.resetState()
        }
        func results(prefix: String) -> [(String, Double)] {
            [(prefix + "loss", Double(lossTracker.result().scalar)),
             (prefix + "sparse_categorical_accuracy", Double(accuracy.result().scalar))]
        }

        for epoch in try checkpoint.remainingEpochs(of: try epochs(context, seed: 3)) {
            resetMetrics()
            let batches = try train.batches()
            while let batch = try batches.next() { try step(batch, training: true) }
            let logs = results(prefix: "")
            context.log("Results at the end of epoch \(epoch)")
            for (key, value) in logs { context.log(String(format: "...%@: %.4f", key, value)) }
            try finishEpoch(epoch, logs.map(\.1), csv: csv, checkpoint: checkpoint, context: context)
        }
        resetMetrics()
        let validationBatches = try validation.batches()
        while let batch = try validationBatches.next() { try step(batch, training: false) }
        let evaluation = results(prefix: "val_")
        context.log("Evaluation results:")
        for (key, value) in evaluation { context.log(String(format: "...%@: %.4f", key, value)) }
        try CSV.write([evaluation.map(\.0), evaluation.map { JSONValue.pythonRepr($0.1) }],
                      to: try context.runDirectory.file("evaluation.csv"))
        try model.save(to: context.runDirectory.model)
    }

    /// 1000 random samples of `shape` in [0, 1) with random labels among 10, as the seed makes them.
    private func randomData(_ context: ExperimentContext, shape: [Int]) throws -> (Tensor, Tensor) {
        let n = try context.int("random_samples")
        let random = RandomGenerator(seed: context.seed)
        let x = random.uniform([n] + shape)
        let y = Tensor(shape: [n], int32s: (0..<n).map { _ in Int32(random.integer(below: 10)) })
        return (x, y)
    }

    private func trainingFlag(_ context: ExperimentContext) throws {
        let (x, y) = try randomData(context, shape: [28, 28])
        let model = try Sequential([Flatten(inputShape: [28, 28]), Dense(units: 128), BatchNormalization(), Dropout(rate: 0.5),
                                    Dense(units: 10)])
        let lossFunction = SparseCategoricalCrossentropy(fromLogits: true)
        let optimizer = Adam(learningRate: .constant(1e-3))
        try loop(context, model: model, optimizer: optimizer, x: x, y: y, defaultEpochs: 5, logEvery: 200) { batch in
            lossFunction(batch.y[0], model(batch.x[0], training: true))
        } afterEpoch: { [] }
        // Inference mode: Dropout passes everything, BatchNormalization uses its moving statistics.
        let prediction = model(x.slice(begin: [0, 0, 0], size: [1, 28, 28]), training: false)
        context.log("prediction for the first sample: \(prediction.scalars.map { String(format: "%.3f", $0) })")
    }

    private func trackers(_ context: ExperimentContext) throws {
        let (x, y) = try randomData(context, shape: [32])
        let model = try Sequential([Dense(units: 64, activation: "relu"), Dense(units: 10, activation: "softmax")])
        // The seed's model is built by its first batch; built here for that batch's shape, so the
        // checkpoint can name its weights before the loop.
        try model.build(inputShape: [nil, 32])
        let optimizer = Adam()
        let accuracy = Metrics.SparseCategoricalAccuracy(), lossTracker = Metrics.Mean()
        try loop(context, model: model, optimizer: optimizer, x: x, y: y, defaultEpochs: 3, logEvery: 200,
                 header: ["loss", "accuracy"]) { batch in
            let predictions = model(batch.x[0], training: true)
            let perSample = try sparseCategoricalCrossentropy(batch.y[0], predictions)
            accuracy.updateState(yTrue: batch.y[0], yPred: stopGradient(predictions))
            lossTracker.updateState(values: stopGradient(perSample))
            return perSample.sum()
        } afterEpoch: {
            let values = [Double(lossTracker.result().scalar), Double(accuracy.result().scalar)]
            accuracy.resetState()
            lossTracker.resetState()
            return values
        }
    }

    /// The seeds' plain loop: batches in order (`x[step:step + batch_size]`), one tape per step.
    private func loop(_ context: ExperimentContext, model: Sequential, optimizer: Optimizer, x: Tensor, y: Tensor,
                      defaultEpochs: Int, logEvery: Int, header: [String] = [],
                      loss: (Batch) throws -> Tensor, afterEpoch: () -> [Double]) throws {
        let batchSize = try context.int("batch_size")
        let epochs = try epochs(context, seed: defaultEpochs)
        let checkpoint = context.checkpoint
        checkpoint.track(model)
        checkpoint.track(optimizer, of: model.trainableWeights, as: "optimizer")
        let csv = try CSVLogFile(path: context.runDirectory.log, header: ["epoch", "last_batch_loss"] + header)
        checkpoint.track(file: csv.path)
        let data = try Dataset(x: [x], y: [y], batchSize: batchSize)
        for epoch in try checkpoint.remainingEpochs(of: epochs) {
            context.log("\nEpoch \(epoch + 1)")
            var last: Float = 0
            let batches = try data.batches()
            while let batch = try batches.next() {
                let index = batches.position - 1
                let tape = GradientTape()
                let value = try tape.record { try loss(batch) }
                let variables = model.trainableWeights
                optimizer.apply(tape.gradient(of: value, wrt: variables), to: variables)
                last = value.scalar
                if (index * batchSize) % logEvery == 0 { context.log(String(format: "Step %d: loss = %.4f", index * batchSize, last)) }
            }
            try finishEpoch(epoch, [Double(last)] + afterEpoch(), csv: csv, checkpoint: checkpoint, context: context)
        }
        try model.save(to: context.runDirectory.model)
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(HandLoops.self)
}
