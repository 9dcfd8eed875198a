import Keel

/// The default experiment: Deep Learning with Python's Fashion-MNIST classifier
/// Dense(512, relu) → Dropout(0.5) → Dense(10, softmax), Adam, trained with `fit` and the usual
/// callbacks (checkpoints, early stopping, learning-rate reduction, CSV log, loss plots).
final class FashionMLP: Experiment {
    override class var name: String { "fashion-mlp" }
    override class var summary: String { "Fashion-MNIST Dense(512)-Dropout-Dense(10) with Adam and fit callbacks" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(3), "batch_size": .int(32), "learning_rate": .double(1e-3), "dropout": .double(0.5),
         "units": .int(512), "train_samples": .int(50_000), "validation_samples": .int(10_000), "patience": .int(3)]
    }

    override func run(_ context: ExperimentContext) throws {
        let data = try FashionMNIST()
        let split = data.trainValidationSplit()
        let trainCount = min(try context.int("train_samples"), split.x.shape[0])
        let validationCount = min(try context.int("validation_samples"), split.validationX.shape[0])
        let x = split.x.slice(begin: [0, 0, 0], size: [trainCount, 28, 28]).reshaped([trainCount, 784])
        let y = split.y.slice(begin: [0], size: [trainCount])
        let vx = split.validationX.slice(begin: [0, 0, 0], size: [validationCount, 28, 28]).reshaped([validationCount, 784])
        let vy = split.validationY.slice(begin: [0], size: [validationCount])

        let model = try SeedModels.fashionMLP(units: try context.int("units"), dropout: try context.double("dropout"))
        try model.compile(optimizer: .optimizer(Adam(learningRate: .constant(Float(try context.double("learning_rate"))))),
                          loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(model.summary())

        let callbacks: [Callback] = [
            ModelCheckpoint(filepath: run.checkpoints + "/epoch_{epoch:02d}.h5", monitor: "val_loss"),
            EarlyStopping(monitor: "val_loss", patience: try context.int("patience"), restoreBestWeights: true),
            ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1),
            CSVLogger(filename: run.log),
            LossHistory(directory: run.plots),
        ]
        // `keel run` adds a BackupAndRestore to `fit`, so `keel resume` continues an interrupted run.
        let history = try model.fit(x, y, batchSize: try context.int("batch_size"), epochs: try context.int("epochs"),
                                    verbose: .auto, callbacks: callbacks, validationData: (vx, vy))
        try model.save(to: run.model)
        if let accuracy = history.history["val_accuracy"]?.last {
            context.log("final val_accuracy: \(String(format: "%.4f", accuracy))")
        }
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(FashionMLP.self)
}
