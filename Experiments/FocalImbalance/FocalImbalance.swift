import Keel

/// The seed's FocalLoss(alpha 0.75, gamma 2) against binary cross-entropy on an imbalanced task:
/// one Fashion-MNIST class (by default "Bag") against the rest, kept at 1 positive per `ratio`
/// negatives; the same small MLP is trained with each loss and AUC, precision and recall compared.
final class FocalImbalance: Experiment {
    override class var name: String { "focal-imbalance" }
    override class var summary: String { "FocalLoss vs binary cross-entropy on a 1:20 imbalanced Fashion-MNIST task" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(3), "batch_size": .int(64), "positive_class": .int(8), "ratio": .int(20),
         "negatives": .int(20_000), "alpha": .double(0.75), "gamma": .double(2)]
    }

    override func run(_ context: ExperimentContext) throws {
        let data = try FashionMNIST()
        let positive = Int32(try context.int("positive_class")), ratio = try context.int("ratio")
        let (x, y) = try FocalImbalance.imbalanced(images: data.trainImages(), labels: data.trainLabels, positive: positive,
                                                   ratio: ratio, negatives: try context.int("negatives"))
        let (vx, vy) = try FocalImbalance.imbalanced(images: data.testImages(), labels: data.testLabels, positive: positive,
                                                     ratio: ratio, negatives: 5000)
        context.log("training on \(x.shape[0]) images (\(Int(y.sum().scalar)) positive), validating on \(vx.shape[0])")
        let focal = FocalLoss(alpha: try context.double("alpha"), gamma: try context.double("gamma"))
        var rows: [[String]] = []
        for (label, loss) in [("focal", focal as Loss), ("bce", BinaryCrossentropy() as Loss)] {
            KeelRandom.setSeed(context.seed)
            let inputs = Input(shape: [784], name: "pixels")
            let hidden = try Dense(units: 64, activation: "relu")(inputs)
            let output = try Dense(units: 1, activation: "sigmoid")(hidden)
            let model = try Model(inputs: inputs, outputs: output, name: "\(label)_model")
            try model.compile(optimizer: Adam(learningRate: 1e-3), loss: loss,
                              metrics: [.metric(Metrics.AUC(name: "auc")), .metric(Metrics.Precision(name: "precision")), .metric(Metrics.Recall(name: "recall"))])
            try model.fit(x, y, batchSize: try context.int("batch_size"), epochs: try context.int("epochs"), verbose: 0)
            let results = try model.evaluate(vx, vy, verbose: 0)
            let line = ["auc", "precision", "recall"].map { "\($0) \(String(format: "%.4f", results[$0] ?? .nan))" }.joined(separator: ", ")
            context.log("\(label): \(line)")
            rows.append([label] + ["auc", "precision", "recall", "loss"].map { JSONValue.pythonRepr(results[$0] ?? .nan) })
            try model.save(to: context.runDirectory.file("checkpoints/\(label).h5"))
            if label == "focal" { try model.save(to: context.runDirectory.model) }
        }
        try CSV.write([["loss", "val_auc", "val_precision", "val_recall", "val_loss"]] + rows, to: context.runDirectory.log)
    }

    /// Flattened images with label 1 for `positive` and 0 otherwise, one positive per `ratio` negatives.
    static func imbalanced(images: Tensor, labels: Tensor, positive: Int32, ratio: Int, negatives: Int) throws -> (Tensor, Tensor) {
        let ids = labels.int32Scalars
        let negativeRows = ids.indices.filter { ids[$0] != positive }.prefix(negatives)
        let positiveRows = ids.indices.filter { ids[$0] == positive }.prefix(max(1, negativeRows.count / ratio))
        let rows = Array(negativeRows) + Array(positiveRows)
        let order = RandomGenerator(seed: 7).permutation(rows.count).map { Int32(rows[$0]) }
        let index = Tensor(shape: [order.count], int32s: order)
        let x = images.gathering(index, axis: 0).reshaped([order.count, 784])
        let y = Tensor(shape: [order.count, 1], scalars: order.map { ids[Int($0)] == positive ? 1 : 0 })
        return (x, y)
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(FocalImbalance.self)
}
