import Foundation
import Keel

/// The Keras guide "Writing a training loop from scratch": an MLP 784-64-64-10 on logits, SGD
/// 1e-3, sparse categorical cross-entropy from logits, batch 64, one GradientTape per step,
/// accuracy metrics updated per batch and reset per epoch, validation each epoch — printed as the
/// guide prints. `--set variant=activity_regularization` is the guide's `add_loss` section: an
/// ActivityRegularizationLayer after the first Dense adds 1e-2 · sum(activations) to
/// `model.losses` on every call, and the step adds those losses to the loss it differentiates.
final class CustomLoop: Experiment {
    override class var name: String { "custom-loop" }
    override class var summary: String { "The Keras guide's hand-written GradientTape loop on Fashion-MNIST" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(2), "batch_size": .int(64), "learning_rate": .double(1e-3), "train_samples": .int(50_000),
         "validation_samples": .int(10_000), "log_every": .int(200), "variant": .string("metrics")]
    }

    override func run(_ context: ExperimentContext) throws {
        let split = try FashionMNIST().trainValidationSplit(trainSamples: try context.int("train_samples"),
                                                           validationSamples: try context.int("validation_samples"))
        let x = split.x.reshaped([split.x.shape[0], 784]), y = split.y
        let vx = split.validationX.reshaped([split.validationX.shape[0], 784]), vy = split.validationY

        let model: Model
        switch try context.string("variant") {
        case "metrics": model = try SeedModels.mnistMLP()
        case "activity_regularization": model = try CustomLoop.activityRegularizedMLP()
        case let other: throw KeelError("hyper-parameter 'variant'", expected: "metrics or activity_regularization", found: other)
        }
        // In a distributed job (`mpirun ... --distributed`) each rank trains on its shard and the
        // optimizer averages the ranks' gradients; on one process both change nothing.
        let optimizer = DistributedOptimizer(wrapping: SGD(learningRate: .constant(Float(try context.double("learning_rate")))))
        let lossFunction = SparseCategoricalCrossentropy(fromLogits: true)
        let trainAccuracy = Metrics.SparseCategoricalAccuracy()
        let validationAccuracy = Metrics.SparseCategoricalAccuracy()
        let batchSize = try context.int("batch_size"), logEvery = try context.int("log_every")
        // The guide's pipeline: slices, shuffled, batched. In a distributed job each rank takes
        // its shard of every epoch's order (the same order on every rank) before batching.
        func pipeline(_ x: Tensor, _ y: Tensor, shuffle: Bool) throws -> Dataset {
            var data = try Dataset.fromTensorSlices(.tuple([.tensor(x), .tensor(y)]))
            if shuffle { data = try data.shuffle(bufferSize: x.shape[0]) }
            let whole = x.shape[0] - x.shape[0] % Distributed.size
            return try data.take(whole).shard(count: Distributed.size, index: Distributed.rank).batch(batchSize)
        }
        let train = try pipeline(x, y, shuffle: true)
        let validation = try pipeline(vx, vy, shuffle: false)
        let csv = try CSVLogFile(path: context.runDirectory.log, header: ["epoch", "accuracy", "loss", "val_accuracy"])
        // `keel resume` continues from the last finished epoch: weights, SGD state, random state, log.
        let checkpoint = context.checkpoint
        checkpoint.track(model)
        checkpoint.track(optimizer, of: model.trainableWeights, as: "sgd")
        checkpoint.track(file: csv.path)

        // With `keel run --tensorboard`, the log's numbers also go to TensorBoard under Keras's tags.
        let trainBoard = try context.summaryWriter("train"), validationBoard = try context.summaryWriter("validation")
        let epochs = try checkpoint.remainingEpochs(of: try context.int("epochs"))
        if Distributed.isActive {
            // Every rank starts from rank 0's weights and SGD state (restored or new).
            optimizer.buildIfNeeded(for: model.trainableWeights)
            try Distributed.broadcast(model.weights + optimizer.variables, root: 0)
        }
        for epoch in epochs {
            context.log("\nStart of epoch \(epoch)")
            let start = Date()
            var lastLoss: Float = 0
            let batches = try train.batches()
            while let batch = try batches.next() {
                let step = batches.position - 1
                let tape = GradientTape()
                let (loss, logits) = tape.record { () -> (Tensor, Tensor) in
                    let logits = model(batch.x[0], training: true)
                    // Plus the losses layers added during the forward pass (`sum(model.losses)`).
                    let loss = model.losses.reduce(lossFunction(batch.y[0], logits), +)
                    return (loss, logits)
                }
                let variables = model.trainableWeights
                optimizer.apply(optimizer.gradients(of: loss, wrt: variables, from: tape), to: variables)
                trainAccuracy.updateState(yTrue: batch.y[0], yPred: logits)
                lastLoss = loss.scalar
                if step % logEvery == 0 {
                    context.log(String(format: "Training loss (for one batch) at step %d: %.4f", step, lastLoss))
                    context.log("Seen so far: \((step + 1) * batchSize * Distributed.size) samples")
                }
            }
            // The job's accuracy: every rank saw the same number of samples.
            let accuracy = Float(try Distributed.allreduce([Double(trainAccuracy.result().scalar)], op: .average)[0])
            lastLoss = Float(try Distributed.allreduce([Double(lastLoss)], op: .average)[0])
            context.log(String(format: "Training acc over epoch: %.4f", accuracy))
            trainAccuracy.resetState()
            let validationBatches = try validation.batches()
            while let batch = try validationBatches.next() {
                validationAccuracy.updateState(yTrue: batch.y[0], yPred: model(batch.x[0], training: false))
            }
            let validationResult = Float(try Distributed.allreduce([Double(validationAccuracy.result().scalar)], op: .average)[0])
            validationAccuracy.resetState()
            context.log(String(format: "Validation acc: %.4f", validationResult))
            context.log(String(format: "Time taken: %.2fs", Date().timeIntervalSince(start)))
            try csv.append([String(epoch), JSONValue.pythonRepr(Double(accuracy)), JSONValue.pythonRepr(Double(lastLoss)),
                            JSONValue.pythonRepr(Double(validationResult))])
            try trainBoard?.scalar(tag: "epoch_accuracy", value: Double(accuracy), step: epoch)
            try trainBoard?.scalar(tag: "epoch_loss", value: Double(lastLoss), step: epoch)
            try validationBoard?.scalar(tag: "epoch_accuracy", value: Double(validationResult), step: epoch)
            try trainBoard?.flush()
            try validationBoard?.flush()
            try checkpoint.save(LoopPosition(epoch: epoch + 1))
        }
        try model.save(to: context.runDirectory.model)
        try model.summary().write(toFile: context.runDirectory.summary, atomically: true, encoding: .utf8)
    }
}

extension CustomLoop {
    /// The guide's `add_loss` model: 784 → Dense 64 → ActivityRegularizationLayer → Dense 64 → 10 logits.
    static func activityRegularizedMLP() throws -> Model {
        let inputs = Input(shape: [784], name: "digits")
        var h = try Dense(units: 64, activation: "relu")(inputs)
        h = try ActivityRegularizationLayer()(h)
        h = try Dense(units: 64, activation: "relu")(h)
        return try Model(inputs: inputs, outputs: Dense(units: 10, name: "predictions")(h))
    }
}

/// The guide's custom layer: passes its input through and adds 1e-2 · sum(input) to the losses.
final class ActivityRegularizationLayer: Layer {
    override func call(_ input: Tensor, training: Bool) -> Tensor {
        addLoss(input.sum() * 1e-2)
        return input
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(CustomLoop.self)
    // A saved model names the layer; registered, `keel summary` and `Model.load` rebuild it.
    try plugin.addLayer(ActivityRegularizationLayer.self)
}
