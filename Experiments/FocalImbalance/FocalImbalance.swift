import Keel

/// The seed's FocalLoss(alpha 0.75, gamma 2) against binary cross-entropy on an imbalanced task:
/// one Fashion-MNIST class (by default "Bag") against the rest, kept at 1 positive per `ratio`
/// negatives; the same small MLP is trained with each loss and AUC, precision and recall compared.
/// `--set focal=function` trains with the seed's function form instead of the class: the closure
/// `focal_loss_fixed` that `focalLoss(gamma:alpha:)` returns, given to `compile` as a function.
final class FocalImbalance: Experiment {
    override class var name: String { "focal-imbalance" }
    override class var summary: String { "FocalLoss vs binary cross-entropy on a 1:20 imbalanced Fashion-MNIST task" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(3), "batch_size": .int(64), "positive_class": .int(8), "ratio": .int(20),
         "negatives": .int(20_000), "alpha": .double(0.75), "gamma": .double(2), "focal": .string("class")]
    }

    override func run(_ context: ExperimentContext) throws {
        let data = try FashionMNIST()
        let positive = Int32(try context.int("positive_class")), ratio = try context.int("ratio")
        let (x, y) = try FocalImbalance.imbalanced(images: data.trainImages(), labels: data.trainLabels, positive: positive,
                                                   ratio: ratio, negatives: try context.int("negatives"))
        let (vx, vy) = try FocalImbalance.imbalanced(images: data.testImages(), labels: data.testLabels, positive: positive,
                                                     ratio: ratio, negatives: 5000)
        context.log("training on \(x.shape[0]) images (\(Int(y.sum().scalar)) positive), validating on \(vx.shape[0])")
        let alpha = try context.double("alpha"), gamma = try context.double("gamma")
        let focal: LossSpec
        switch try context.string("focal") {
        case "class": focal = .loss(FocalLoss(alpha: alpha, gamma: gamma))
        case "function": focal = .function(name: "focal_loss_fixed", FocalImbalance.focalLoss(gamma: gamma, alpha: alpha))
        case let other: throw KeelError("hyper-parameter 'focal'", expected: "class or function", found: other)
        }
        var rows: [[String]] = []
        for (label, loss) in [("focal", focal), ("bce", LossSpec.loss(BinaryCrossentropy()))] {
            KeelRandom.setSeed(context.seed)
            let inputs = Input(shape: [784], name: "pixels")
            let hidden = try Dense(units: 64, activation: "relu")(inputs)
            let output = try Dense(units: 1, activation: "sigmoid")(hidden)
            let model = try Model(inputs: inputs, outputs: output, name: "\(label)_model")
            try model.compile(optimizer: .optimizer(Adam(learningRate: 1e-3)), loss: .all(loss),
                              metrics: [.metric(Metrics.AUC(name: "auc")), .metric(Metrics.Precision(name: "precision")),
                                        .metric(Metrics.Recall(name: "recall"))])
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

    /// The seed's function form of the focal loss: a factory returning `focal_loss_fixed(y_true,
    /// y_pred)`, per sample the sum over the last axis of alpha_factor · (1 − p_t)^γ · bce. With
    /// 0/1 labels it equals `FocalLoss` (the seed's function forgets its `return`; this one returns).
    static func focalLoss(gamma: Double = 2, alpha: Double = 0.75) -> TargetFunction {
        { yTrue, yPred in
            let bce = -(yTrue * yPred.log() + (1 - yTrue) * (1 - yPred).log())
            let pT = yTrue * yPred + (1 - yTrue) * (1 - yPred)
            let alphaFactor = yTrue * Float(alpha) + (1 - yTrue) * Float(1 - alpha)
            let modulatingFactor = (1 - pT).pow(Float(gamma))
            return (alphaFactor * modulatingFactor * bce).sum(axes: [-1])
        }
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
