import Keel

/// The default experiment: Deep Learning with Python's Fashion-MNIST classifier
/// Dense(512, relu) → Dropout(0.5) → Dense(10, softmax), Adam, trained with `fit` and the usual
/// callbacks (checkpoints, early stopping, learning-rate reduction, CSV log, loss plots).
/// `--set variant=...` runs the book's other programs with this model (§7.2.2–7.2.3; the book
/// trains 3 epochs for `rmse`, 10 for the two callback listings: pass `--epochs 10`):
/// - `plain` (listing 7.17): compile, fit with validation data, nothing else;
/// - `rmse` (listing 7.18): metrics accuracy and the book's own RMSE metric class, nothing else;
/// - `callbacks` (7.19): EarlyStopping on accuracy with patience 1 and a ModelCheckpoint that
///   keeps the best model by val_loss (`checkpoints/checkpoint_path.keras`);
/// - `loss_history` (7.20): the LossHistory callback alone, charts of each batch's loss.
/// Every variant also writes the run's log.csv.
final class FashionMLP: Experiment {
    override class var name: String { "fashion-mlp" }
    override class var summary: String { "Fashion-MNIST Dense(512)-Dropout-Dense(10) with Adam and fit callbacks" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(3), "batch_size": .int(32), "learning_rate": .double(1e-3), "dropout": .double(0.5),
         "units": .int(512), "train_samples": .int(50_000), "validation_samples": .int(10_000), "patience": .int(3),
         "variant": .string("default")]
    }

    override func run(_ context: ExperimentContext) throws {
        let split = try FashionMNIST().trainValidationSplit(trainSamples: try context.int("train_samples"),
                                                           validationSamples: try context.int("validation_samples"))
        let x = split.x.reshaped([split.x.shape[0], 784]), y = split.y
        let vx = split.validationX.reshaped([split.validationX.shape[0], 784]), vy = split.validationY

        let model = try SeedModels.fashionMLP(units: try context.int("units"), dropout: try context.double("dropout"))
        let variant = try context.string("variant")
        let metrics: [MetricSpec] = variant == "rmse" ? ["accuracy", .metric(ClassRMSE())] : ["accuracy"]
        try model.compile(optimizer: .optimizer(Adam(learningRate: .constant(Float(try context.double("learning_rate"))))),
                          loss: "sparse_categorical_crossentropy", metrics: .all(metrics))
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(model.summary())

        var callbacks: [Callback]
        switch variant {
        case "default":
            callbacks = [
                ModelCheckpoint(filepath: run.checkpoints + "/epoch_{epoch:02d}.h5", monitor: "val_loss"),
                EarlyStopping(monitor: "val_loss", patience: try context.int("patience"), restoreBestWeights: true),
                ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1),
                LossHistory(directory: run.plots),
            ]
        case "plain", "rmse": callbacks = []
        case "callbacks":
            callbacks = [EarlyStopping(monitor: "accuracy", patience: 1),
                         ModelCheckpoint(filepath: run.checkpoints + "/checkpoint_path.keras", monitor: "val_loss", saveBestOnly: true)]
        case "loss_history": callbacks = [LossHistory(directory: run.plots)]
        case let other:
            throw KeelError("hyper-parameter 'variant'", expected: "default, plain, rmse, callbacks or loss_history", found: other)
        }
        callbacks.append(CSVLogger(filename: run.log))
        // `keel run` adds a BackupAndRestore to `fit`, so `keel resume` continues an interrupted run.
        let history = try model.fit(x, y, batchSize: try context.int("batch_size"), epochs: try context.int("epochs"),
                                    verbose: .auto, callbacks: callbacks, validationData: (vx, vy))
        try model.save(to: run.model)
        if let accuracy = history.history["val_accuracy"]?.last {
            context.log("final val_accuracy: \(String(format: "%.4f", accuracy))")
        }
    }
}

/// The book's RootMeanSquaredError (listing 7.18): integer labels against class probabilities,
/// sqrt(sum of squared differences to the one-hot labels / number of samples), accumulated over
/// the epoch in two state variables.
final class ClassRMSE: Metric {
    override class var defaultName: String? { "rmse" }
    override var higherIsBetter: Bool { false }
    private var squaredErrorSum: Variable!
    private var sampleCount: Variable!

    override func didConfigure() {
        squaredErrorSum = addVariable(name: "mse_sum")
        sampleCount = addVariable(name: "total_samples")
    }

    override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
        let classes = yPred.shape.last ?? 1
        let oneHot = yTrue.reshaped([yTrue.count]).cast(to: .int32).oneHot(depth: classes)
        squaredErrorSum.assign(squaredErrorSum.value + (oneHot - yPred).squared().sum())
        sampleCount.assign(sampleCount.value + Float(yPred.shape[0]))
    }

    override func result() -> Tensor {
        sampleCount.value.scalar == 0 ? Tensor(0) : (squaredErrorSum.value / sampleCount.value).sqrt()
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(FashionMLP.self)
    // A model saved by the `rmse` variant names the metric; registered, it loads back.
    try plugin.addMetric(ClassRMSE.self)
}
