import Keel

/// PyImageSearch's VGG-like CNN with BatchNormalization (seed 004): CONV => RELU => BN blocks,
/// categorical cross-entropy on one-hot labels, Adam, trained with a hand-written epoch/batch loop.
final class VGGCNN: Experiment {
    override class var name: String { "vgg-cnn" }
    override class var summary: String { "Seed 004's VGG-like CNN with BatchNormalization, hand-written training loop" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(1), "batch_size": .int(64), "learning_rate": .double(1e-3), "train_samples": .int(10_000),
         "validation_samples": .int(2_000), "augmentation": .bool(false)]
    }

    override func run(_ context: ExperimentContext) throws {
        let split = try FashionMNIST().trainValidationSplit(trainSamples: try context.int("train_samples"),
                                                           validationSamples: try context.int("validation_samples"))
        let x = split.x.reshaped([split.x.shape[0], 28, 28, 1]), y = split.y.oneHot(depth: 10)
        let vx = split.validationX.reshaped([split.validationX.shape[0], 28, 28, 1]), vy = split.validationY.oneHot(depth: 10)

        // Augmentation (off by default): random flips, rotations and zooms in the model, active
        // in training only, so evaluation and the saved model see the images unchanged.
        let augmentation: [Layer] = try context.bool("augmentation")
            ? [RandomFlip(mode: .horizontal), RandomRotation(factor: 0.1), RandomZoom(heightFactor: 0.1)] : []
        let model = try SeedModels.vggCNN(augmentation: augmentation)
        let optimizer = Adam(learningRate: .constant(Float(try context.double("learning_rate"))))
        let lossFunction = CategoricalCrossentropy()
        try model.compile(optimizer: optimizer, loss: lossFunction, metrics: ["accuracy"])
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(model.summary())
        let batchSize = try context.int("batch_size")
        let train = try Dataset(x: [x], y: [y], batchSize: batchSize, shuffle: true)
        let csv = try CSVLogFile(path: run.log, header: ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"])
        // `keel resume` continues from the last finished epoch: weights with Adam's state, random state, log.
        let checkpoint = context.checkpoint
        checkpoint.track(model)
        checkpoint.track(file: csv.path)
        for epoch in try checkpoint.remainingEpochs(of: try context.int("epochs")) {
            context.log("[INFO] starting epoch \(epoch + 1)/\(try context.int("epochs"))...")
            let trainAccuracy = Metrics.CategoricalAccuracy()
            var lossTotal: Float = 0
            var seen = 0
            let batches = try train.batches()
            while let batch = try batches.next() {
                let tape = GradientTape()
                let (loss, predictions) = tape.record { () -> (Tensor, Tensor) in
                    let predictions = model(batch.x[0], training: true)
                    return (lossFunction(batch.y[0], predictions), predictions)
                }
                let variables = model.trainableWeights
                optimizer.apply(tape.gradient(of: loss, wrt: variables), to: variables)
                trainAccuracy.updateState(yTrue: batch.y[0], yPred: predictions)
                lossTotal += loss.scalar * Float(batch.size)
                seen += batch.size
            }
            let validation = try model.evaluate(vx, vy, batchSize: batchSize, verbose: 0)
            let accuracy = Double(trainAccuracy.result().scalar), loss = Double(lossTotal / Float(max(seen, 1)))
            context.log(String(format: "epoch %d: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f", epoch + 1, loss, accuracy,
                               validation["loss"] ?? .nan, validation["accuracy"] ?? .nan))
            try csv.append([String(epoch), JSONValue.pythonRepr(accuracy), JSONValue.pythonRepr(loss),
                            JSONValue.pythonRepr(validation["accuracy"] ?? .nan), JSONValue.pythonRepr(validation["loss"] ?? .nan)])
            try model.save(to: run.file("checkpoints/epoch_\(epoch + 1).h5"))
            try checkpoint.save(LoopPosition(epoch: epoch + 1))
        }
        try model.save(to: run.model)
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(VGGCNN.self)
}
