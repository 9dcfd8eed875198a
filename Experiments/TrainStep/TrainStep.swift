import Keel

/// `fit` with a custom train step (Deep Learning with Python §7.4.4, and seed 003's last program):
/// the book's MNIST model (Dense 512 relu, Dropout 0.5, Dense 10 softmax) as a Functional model
/// whose class overrides `trainStep`, trained with `fit` for 3 epochs of batch 32 on Fashion-MNIST
/// (standing in for MNIST). `variant`:
/// - `tracker` (listing 7.21): the step computes its own sparse cross-entropy and keeps a Mean
///   loss tracker, the model's only metric (reset each epoch); compiled with the optimizer only.
/// - `compiled` (the book's "metrics in a custom train_step"): compiled with the loss and
///   SparseCategoricalAccuracy; the step calls `computeLoss` and updates the compiled metrics.
/// `optimizer`: adam (the book) or rmsprop (seed 003).
final class TrainStep: Experiment {
    override class var name: String { "train-step" }
    override class var summary: String { "fit with a custom trainStep: a loss tracker, or the compiled loss and metrics" }
    override class var defaults: [String: HyperValue] {
        ["variant": .string("tracker"), "optimizer": .string("adam"), "epochs": .int(3), "batch_size": .int(32),
         "train_samples": .int(60_000)]
    }

    override func run(_ context: ExperimentContext) throws {
        let data = try FashionMNIST()
        let n = min(try context.int("train_samples"), data.trainCount)
        let x = data.trainImages(0..<n).reshaped([n, 784])
        let y = data.trainLabels.slice(begin: [0], size: [n])

        let inputs = Input(shape: [784])
        var features = try Dense(units: 512, activation: "relu")(inputs)
        features = try Dropout(rate: 0.5)(features)
        let outputs = try Dense(units: 10, activation: "softmax")(features)
        let variant = try context.string("variant")
        let model = try CustomStepModel(inputs: inputs, outputs: outputs, usesCompiledLoss: variant == "compiled")
        let optimizer: OptimizerSpec
        switch try context.string("optimizer") {
        case "adam": optimizer = .optimizer(Adam())
        case "rmsprop": optimizer = .optimizer(RMSprop())
        case let other: throw KeelError("hyper-parameter 'optimizer'", expected: "adam or rmsprop", found: other)
        }
        switch variant {
        case "tracker": try model.compile(optimizer: optimizer, loss: .perOutput([nil]))
        case "compiled":
            try model.compile(optimizer: optimizer, loss: .all(.loss(SparseCategoricalCrossentropy())),
                              metrics: [.metric(Metrics.SparseCategoricalAccuracy())])
        case let other: throw KeelError("hyper-parameter 'variant'", expected: "tracker or compiled", found: other)
        }
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        // `keel run` gives `fit` a BackupAndRestore, so `keel resume` continues an interrupted run.
        try model.fit(x, y, batchSize: try context.int("batch_size"), epochs: try context.int("epochs"), verbose: .auto,
                      callbacks: [CSVLogger(filename: run.log)])
        try model.save(to: run.model)
    }
}

/// A Functional model whose class overrides the train step, as the book's `CustomModel`.
final class CustomStepModel: Model {
    private let usesCompiledLoss: Bool
    private let lossFunction = SparseCategoricalCrossentropy()
    /// The book's `loss_tracker = keras.metrics.Mean(name="loss")`, listed in the model's metrics
    /// so `fit` resets it at each epoch.
    private let lossTracker = Metrics.Mean(name: "loss")

    init(inputs: SymbolicTensor, outputs: SymbolicTensor, usesCompiledLoss: Bool) throws {
        self.usesCompiledLoss = usesCompiledLoss
        try super.init(inputs: [inputs], outputs: [outputs])
    }

    required init(config: JSONObject) throws {
        throw KeelError("CustomStepModel config", expected: "a model made in Swift", found: "a config")
    }

    override func resetMetrics() {
        super.resetMetrics()
        lossTracker.resetState()
    }

    override func trainStep(_ batch: Batch) throws -> Logs {
        guard let optimizer else { throw KeelError("model '\(name)'", expected: "compiled with an optimizer", found: "none") }
        let tape = GradientTape()
        let (loss, predictions) = tape.record { () -> (Tensor, Tensor) in
            let predictions = self(batch.x[0], training: true)
            let loss = usesCompiledLoss
                ? computeLoss(y: batch.y, yPred: [predictions], sampleWeight: nil) : lossFunction(batch.y[0], predictions)
            return (loss, predictions)
        }
        let variables = trainableWeights
        optimizer.apply(tape.gradient(of: loss, wrt: variables), to: variables)
        lossTracker.updateState(values: loss)
        guard usesCompiledLoss else {
            let logs = Logs()
            logs["loss"] = Double(lossTracker.result().scalar)
            return logs
        }
        // The compiled metrics, and the loss tracker as Keras's own "loss" metric.
        try buildMetrics(y: batch.y, yPred: [predictions])
        updateMetrics(y: batch.y, yPred: [predictions], sampleWeight: nil)
        let logs = metricResults()
        logs["loss"] = Double(lossTracker.result().scalar)
        return logs
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(TrainStep.self)
}
