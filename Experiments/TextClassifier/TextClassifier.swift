import Keel

/// Sentiment of short synthetic sentences the experiment writes itself, where word order
/// matters: "not good" is negative, "never bad" positive. Token ids are padded with 0 to one
/// length; Embedding(mask_zero) masks the padding, a Bidirectional LSTM reads the sentence, a
/// transformer block (self-attention, residual, LayerNormalization, feed-forward) relates the
/// words, and a masked average over the real words feeds the classifier.
final class TextClassifier: Experiment {
    override class var name: String { "text-classifier" }
    override class var summary: String {
        "Embedding(mask_zero) → Bidirectional(LSTM) → transformer block → classifier on synthetic sentences with negation"
    }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(8), "batch_size": .int(32), "learning_rate": .double(3e-3), "train_samples": .int(2048),
         "validation_samples": .int(512), "max_length": .int(16), "embedding_dim": .int(24), "lstm_units": .int(16),
         "heads": .int(2)]
    }

    override func run(_ context: ExperimentContext) throws {
        let maxLength = try context.int("max_length")
        guard maxLength >= 4 else {
            throw KeelError("text-classifier max_length", expected: "at least 4 tokens", found: "\(maxLength)")
        }
        let random = RandomGenerator(seed: context.seed)
        let train = SentimentTask(count: try context.int("train_samples"), maxLength: maxLength, random: random)
        let validation = SentimentTask(count: try context.int("validation_samples"), maxLength: maxLength, random: random)

        let model = try Self.model(maxLength: maxLength, embeddingDim: try context.int("embedding_dim"),
                                   lstmUnits: try context.int("lstm_units"), heads: try context.int("heads"))
        try model.compile(optimizer: .optimizer(Adam(learningRate: .constant(Float(try context.double("learning_rate"))))),
                          loss: .all(.loss(SparseCategoricalCrossentropy())),
                          metrics: [.metric(Metrics.SparseCategoricalAccuracy(name: "accuracy"))])
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(model.summary())
        let callbacks: [Callback] = [
            ModelCheckpoint(filepath: run.checkpoints + "/best.h5", monitor: "val_accuracy", saveBestOnly: true, mode: .max),
            CSVLogger(filename: run.log),
            LossHistory(directory: run.plots),
        ]
        let history = try model.fit(train.tokens, train.labels, batchSize: try context.int("batch_size"),
                                    epochs: try context.int("epochs"), verbose: .auto, callbacks: callbacks,
                                    validationData: (validation.tokens, validation.labels))
        try model.save(to: run.model)
        if let accuracy = history.history["val_accuracy"]?.last {
            context.log("final val_accuracy: \(String(format: "%.4f", accuracy))")
        }
        try writeSamples(model: model, validation: validation, to: run.file("samples/predictions.txt"))
    }

    static func model(maxLength: Int, embeddingDim: Int, lstmUnits: Int, heads: Int) throws -> Model {
        let tokens = Input(shape: [maxLength], name: "tokens", dtype: .int32)
        let embedded = try Embedding(inputDim: SentimentTask.vocabulary.count, outputDim: embeddingDim, maskZero: true)(tokens)
        let read = try Bidirectional(LSTM(units: lstmUnits).with(returnSequences: true))(embedded)
        let width = 2 * lstmUnits
        let attended = try MultiHeadAttention(numHeads: heads, keyDim: width / heads)([read, read])
        let normalized = try LayerNormalization()(try Add()([read, attended]))
        let hidden = try Dense(units: 2 * width, activation: "relu")(normalized)
        let fed = try Dense(units: width)(hidden)
        let block = try LayerNormalization()(try Add()([normalized, fed]))
        let pooled = try GlobalAveragePooling1D()(block)
        let output = try Dense(units: 2, activation: "softmax", name: "sentiment")(pooled)
        return try Model(inputs: tokens, outputs: output, name: "text_classifier")
    }

    /// The first validation sentences with their label and the predicted probability of positive.
    private func writeSamples(model: Model, validation: SentimentTask, to path: String) throws {
        let rows = min(12, validation.labels.shape[0])
        let tokens = validation.tokens.slice(begin: [0, 0], size: [rows, validation.tokens.shape[1]])
        let predicted = try model.predict(tokens, verbose: 0).scalars
        let ids = tokens.scalars, length = validation.tokens.shape[1], labels = validation.labels.scalars
        var lines = ["label\tp(positive)\tsentence"]
        for row in 0..<rows {
            let words = (0..<length).map { Int(ids[row * length + $0]) }.filter { $0 != 0 }.map { SentimentTask.vocabulary[$0] }
            lines.append("\(labels[row] > 0 ? "positive" : "negative")\t\(String(format: "%.3f", predicted[row * 2 + 1]))\t"
                         + words.joined(separator: " "))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// Sentences of 3 to `maxLength` words from positive, negative, neutral words and negators; a
/// negator flips the sentiment word right after it. The label is the sign of the sentence's total
/// sentiment (sentences that sum to zero are drawn again). Ids are padded with 0 at the end.
struct SentimentTask {
    static let positive = ["good", "great", "fine", "lovely", "superb", "pleasant", "clever", "bright"]
    static let negative = ["bad", "awful", "poor", "dull", "boring", "clumsy", "weak", "grim"]
    static let negators = ["not", "never"]
    static let neutral = ["the", "a", "film", "plot", "actor", "music", "story", "was", "is", "and", "quite", "very",
                          "ending", "scene", "cast", "really", "rather", "this", "that", "it"]
    /// Id 0 is the padding.
    static let vocabulary = ["<pad>"] + positive + negative + negators + neutral

    let tokens: Tensor
    let labels: Tensor

    init(count: Int, maxLength: Int, random: RandomGenerator) {
        let positiveIds = 1...Self.positive.count
        let negativeIds = (positiveIds.upperBound + 1)...(positiveIds.upperBound + Self.negative.count)
        let negatorIds = (negativeIds.upperBound + 1)...(negativeIds.upperBound + Self.negators.count)
        let neutralStart = negatorIds.upperBound + 1
        var ids = [Int32](repeating: 0, count: count * maxLength)
        var labels = [Int32](repeating: 0, count: count)
        for sample in 0..<count {
            var sentence: [Int] = []
            var total = 0
            repeat {
                sentence = []
                total = 0
                let length = 3 + random.integer(below: maxLength - 2)
                var negated = false
                while sentence.count < length {
                    let kind = random.integer(below: 10)
                    let id: Int
                    if kind < 2 {
                        id = positiveIds.lowerBound + random.integer(below: positiveIds.count)
                        total += negated ? -1 : 1
                    } else if kind < 4 {
                        id = negativeIds.lowerBound + random.integer(below: negativeIds.count)
                        total += negated ? 1 : -1
                    } else if kind < 5, sentence.count + 1 < length {
                        id = negatorIds.lowerBound + random.integer(below: negatorIds.count)
                    } else {
                        id = neutralStart + random.integer(below: Self.neutral.count)
                    }
                    negated = negatorIds.contains(id)
                    sentence.append(id)
                }
            } while total == 0
            for (position, id) in sentence.enumerated() { ids[sample * maxLength + position] = Int32(id) }
            labels[sample] = total > 0 ? 1 : 0
        }
        tokens = Tensor(shape: [count, maxLength], int32s: ids)
        self.labels = Tensor(shape: [count], int32s: labels)
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(TextClassifier.self)
}
