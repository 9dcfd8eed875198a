import Keel

/// Deep Learning with Python's ticket classifier: three inputs (title, text body, tags as
/// multi-hot vectors), two outputs (priority in [0, 1] and a department among 4), trained on
/// synthetic tickets, compiled as the book's listing 7.10 (Adam, mean squared error and sparse
/// categorical cross-entropy on integer departments, mean absolute error and accuracy), then
/// evaluated and used to predict; then the feature-extraction variant that adds a "difficulty"
/// output from `layers[4].output`. `--set data=dict` is listing 7.11: inputs, targets, losses and
/// metrics given by name. `--set model=subclassed` is listing 7.14: the same classifier as a
/// subclassed model, compiled with lists, fitted, evaluated and used to predict.
final class TicketClassifier: Experiment {
    override class var name: String { "ticket-classifier" }
    override class var summary: String { "Multi-input, multi-output Functional model on synthetic tickets, plus feature extraction" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(1), "batch_size": .int(32), "samples": .int(1280), "vocabulary": .int(10_000), "tags": .int(100),
         "data": .string("list"), "model": .string("functional")]
    }

    override func run(_ context: ExperimentContext) throws {
        let vocabulary = try context.int("vocabulary"), tagCount = try context.int("tags"), n = try context.int("samples")
        let random = RandomGenerator(seed: context.seed)
        let title = random.bernoulli([n, vocabulary], probability: 0.01)
        let body = random.bernoulli([n, vocabulary], probability: 0.01)
        let tags = random.bernoulli([n, tagCount], probability: 0.05)
        // Targets that depend on the inputs, so there is something to learn.
        let priority = (title.sum(axes: [1], keepDims: true) * 0.02).sigmoid()
        let department = Tensor(shape: [n, 1], int32s: (0..<n).map { _ in Int32(random.integer(below: 4)) })
        switch try context.string("model") {
        case "functional": break
        case "subclassed":
            return try runSubclassed(context, inputs: [title, body, tags], targets: [priority, department])
        case let other: throw KeelError("hyper-parameter 'model'", expected: "functional or subclassed", found: other)
        }

        let titleInput = Input(shape: [vocabulary], name: "title")
        let bodyInput = Input(shape: [vocabulary], name: "text_body")
        let tagsInput = Input(shape: [tagCount], name: "tags")
        let features = try Concatenate()([titleInput, bodyInput, tagsInput])
        let hidden = try Dense(units: 64, activation: "relu", name: "dense_features")(features)
        let priorityOutput = try Dense(units: 1, activation: "sigmoid", name: "priority")(hidden)
        let departmentOutput = try Dense(units: 4, activation: "softmax", name: "department")(hidden)
        let model = try Model(inputs: [titleInput, bodyInput, tagsInput], outputs: [priorityOutput, departmentOutput])
        let byName = try context.string("data") == "dict"
        if byName {
            try model.compile(optimizer: "adam",
                              loss: .byName(["priority": .name("mean_squared_error"), "department": .name("sparse_categorical_crossentropy")]),
                              metrics: .byName(["priority": ["mean_absolute_error"], "department": ["accuracy"]]))
        } else {
            try model.compile(optimizer: "adam", loss: .perOutput([.name("mean_squared_error"), .name("sparse_categorical_crossentropy")]),
                              metrics: .perOutput([["mean_absolute_error"], ["accuracy"]]))
        }
        let run = context.runDirectory
        context.log(model.summary())
        try plotModel(model, toFile: run.file("plots/ticket_classifier.png"))
        let batchSize = try context.int("batch_size"), epochs = try context.int("epochs")
        let inputs = ["title": title, "text_body": body, "tags": tags], targets = ["priority": priority, "department": department]
        let results: [String: Double]
        if byName {
            try model.fit(inputs, targets, batchSize: batchSize, epochs: epochs, verbose: .auto, callbacks: [CSVLogger(filename: run.log)])
            results = try model.evaluate(inputs, targets, verbose: 0)
        } else {
            try model.fit([title, body, tags], [priority, department], batchSize: batchSize, epochs: epochs, verbose: .auto,
                          callbacks: [CSVLogger(filename: run.log)])
            results = try model.evaluate([title, body, tags], [priority, department], verbose: 0)
        }
        context.log("evaluate: " + results.keys.sorted().map { "\($0)=\(String(format: "%.4f", results[$0]!))" }.joined(separator: " "))
        let predictions = try model.predict([title, body, tags], verbose: 0)
        context.log("predicted priority of the first ticket: \(String(format: "%.4f", predictions[0].scalars[0]))")
        try model.save(to: run.model)

        // Feature extraction: reuse the trained graph up to the hidden layer and add an output.
        let hiddenOutput = try model.layers[4].output
        let difficulty = try Dense(units: 3, activation: "softmax", name: "difficulty")(hiddenOutput)
        let extended = try Model(inputs: [titleInput, bodyInput, tagsInput], outputs: [priorityOutput, departmentOutput, difficulty],
                                 name: "ticket_classifier_with_difficulty")
        let summaries = model.summary() + extended.summary()
        try summaries.write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(extended.summary())
    }

    /// Listing 7.14 and the fit, evaluate and predict after it. A subclassed model has no
    /// architecture to save (as in Keras, where it lacks `get_config`): its weights are saved.
    private func runSubclassed(_ context: ExperimentContext, inputs: [Tensor], targets: [Tensor]) throws {
        let model = CustomerTicketModel(departments: 4)
        // As the listing does: the first call builds the weights (fit's BackupAndRestore, like
        // Keras's, wants a built model).
        let called = model.forward(inputs)
        context.log("called on the data: priority \(called[0].shape), department \(called[1].shape)")
        try model.compile(optimizer: "adam", loss: .perOutput([.name("mean_squared_error"), .name("sparse_categorical_crossentropy")]),
                          metrics: .perOutput([["mean_absolute_error"], ["accuracy"]]))
        let run = context.runDirectory
        try model.fit(inputs, targets, batchSize: try context.int("batch_size"), epochs: try context.int("epochs"), verbose: .auto,
                      callbacks: [CSVLogger(filename: run.log)])
        let results = try model.evaluate(inputs, targets, verbose: 0)
        context.log("evaluate: " + model.metricsNames.map { "\($0)=\(String(format: "%.4f", results[$0] ?? .nan))" }.joined(separator: " "))
        let predictions = try model.predict(inputs, verbose: 0)
        context.log("predicted priority of the first ticket: \(String(format: "%.4f", predictions[0].scalars[0])), "
                    + "departments \(predictions[1].shape)")
        context.log(model.summary())
        try model.saveWeights(to: run.file("ticket_classifier.weights.h5"))
    }
}

/// Listing 7.14: layers in stored properties, a hand-written forward pass returning two outputs.
/// Its outputs have no names, so (as in Keras) the per-output loss logs are named after the
/// losses (`mean_squared_error_loss`) and the metrics keep their own names.
final class CustomerTicketModel: Model {
    let concatenate = Concatenate()
    let mixing = Dense(units: 64, activation: "relu")
    let priorityScorer = Dense(units: 1, activation: "sigmoid")
    let departmentClassifier: Dense

    init(departments: Int) {
        departmentClassifier = Dense(units: departments, activation: "softmax")
        super.init()
    }

    required init(config: JSONObject) throws {
        throw KeelError("CustomerTicketModel config", expected: "a model made in code with init(departments:)", found: "a config")
    }

    /// Inputs title, text body, tags; outputs priority, department.
    override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        let features = mixing(concatenate(inputs), training: training)
        return [priorityScorer(features, training: training), departmentClassifier(features, training: training)]
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(TicketClassifier.self)
}
