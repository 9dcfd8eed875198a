/// One model type for all three Keras styles: Functional (built from symbolic inputs and
/// outputs), Sequential (a subclass), and subclassed models (override `call`; layers stored in
/// properties are found by reflection, as Keras tracks attributes).
open class Model: Layer {
    open override class var kerasClassName: String { "Functional" }

    private var graph: FunctionalGraph?
    /// The optimizer `compile` attached (its variables count in `summary()` once built).
    public var optimizer: Optimizer?
    /// Losses, loss weights and metrics given to `compile`.
    public internal(set) var compiled: CompiledState?
    /// Set by a callback to end `fit` after the current batch (Keras's `model.stop_training`).
    public var stopTraining = false
    /// Set by BackupAndRestore when it restores a run: the epoch the next `fit` starts from
    /// (Keras's `model._initial_epoch`); `fit` consumes it.
    public var initialEpochOverride: Int?
    /// Where the running `fit` stands in a dataset iteration it continues across epochs (nil
    /// otherwise); BackupAndRestore saves it and sets `restoredDataPosition` from a snapshot.
    public internal(set) var fitDataPosition: DataPosition?
    public var restoredDataPosition: DataPosition?
    /// The History of the last `fit`.
    public internal(set) var history: History?
    /// Penalties collected from the layers during the last forward pass (`add_loss`, regularizers).
    public private(set) var losses: [Tensor] = []

    /// A Functional model from symbolic inputs to outputs.
    public init(inputs: [SymbolicTensor], outputs: [SymbolicTensor], name: String? = nil) throws {
        graph = try FunctionalGraph(inputs: inputs, outputs: outputs)
        super.init(name: name ?? Naming.unique("functional"))
        markBuilt()
    }

    public convenience init(inputs: SymbolicTensor, outputs: SymbolicTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    /// A subclassed model: override `call(_:training:)` and keep layers in stored properties.
    /// Its default name is its class's, as Keras names one (`customer_ticket_model`).
    public init(name: String? = nil) {
        super.init(name: name ?? Naming.unique(Naming.snakeCase(String(describing: Self.self))))
    }

    /// A subclassed model from its config (`name`, `trainable`), as Keras's `cls(**config)`.
    /// Functional and Sequential configs, which list layers, are read by `ModelConfig.model(from:)`.
    public required init(config: JSONObject) throws {
        try super.init(config: config)
    }

    func replaceGraph(inputs: [SymbolicTensor], outputs: [SymbolicTensor]) throws {
        graph = try FunctionalGraph(inputs: inputs, outputs: outputs)
        markBuilt()
        // Layers that were built elsewhere join without adding a weight: cached lists must see them.
        Layer.noteWeightsChanged()
    }

    private func markBuilt() {
        if let graph { buildIfNeeded(inputShapes: graph.inputs.map { $0.shape.map { $0 ?? 1 } }) }
    }

    public var isFunctional: Bool { graph != nil }
    /// A model whose `call` is hand-written (neither Functional nor a Sequential, built or not).
    public var isSubclassed: Bool { graph == nil && !(self is Sequential) }
    public var inputs: [SymbolicTensor] { graph?.inputs ?? [] }
    public var outputs: [SymbolicTensor] { graph?.outputs ?? [] }
    var graphNodes: [Node] { graph?.nodes ?? [] }

    /// The model's layers (Keras's `model.layers`): graph order for Functional models, the
    /// layers found in stored properties (declaration order) for subclassed ones.
    open var layers: [Layer] {
        if let graph { return graph.layers }
        return Model.trackedLayers(of: self)
    }

    /// Layers held by an object's stored properties, directly or in arrays, depth-first.
    static func trackedLayers(of object: AnyObject) -> [Layer] {
        var found: [Layer] = []
        var seen = Set<ObjectIdentifier>()
        func collect(_ value: Any) {
            if let layer = value as? Layer {
                if seen.insert(ObjectIdentifier(layer)).inserted { found.append(layer) }
            } else if let list = value as? [Any] {
                list.forEach(collect)
            } else if let optional = value as? Layer? , let layer = optional {
                collect(layer)
            }
        }
        var mirror: Mirror? = Mirror(reflecting: object)
        var chain: [Mirror] = []
        while let m = mirror, m.subjectType != Model.self, m.subjectType != Layer.self {
            chain.insert(m, at: 0)
            mirror = m.superclassMirror
        }
        for m in chain { for child in m.children { collect(child.value) } }
        return found
    }

    public func getLayer(name: String) throws -> Layer {
        guard let layer = layers.first(where: { $0.name == name }) else {
            throw KeelError("layer '\(name)' in model '\(self.name)'", expected: "one of \(layers.map(\.name).joined(separator: ", "))",
                            found: "no such layer")
        }
        return layer
    }

    // MARK: Weights (unique variables over all layers, in layer order)

    public override var weights: [Variable] { unique(layers.flatMap(\.weights)) }
    public override var trainableWeights: [Variable] { trainable ? unique(layers.flatMap(\.trainableWeights)) : [] }
    public override var nonTrainableWeights: [Variable] {
        trainable ? unique(layers.flatMap(\.nonTrainableWeights)) : weights
    }

    private func unique(_ variables: [Variable]) -> [Variable] {
        var seen = Set<ObjectIdentifier>()
        return variables.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    public var parameterCount: Int { weights.reduce(0) { $0 + ShapeMath.count($1.shape) } }

    // MARK: Metrics

    /// The names of the logs `evaluate` and `fit` report, in the order Keras 3 lists
    /// `evaluate`'s values: `loss`, then the compiled metrics (see
    /// `CompiledState.logNamesInKerasOrder`); empty for a model that is not compiled. Keras 3's
    /// own `model.metrics_names` shows its metrics container as one entry, `compile_metrics`;
    /// Keel lists the names that container stands for instead. Only `loss` is known before the
    /// first batch builds the metrics, as in Keras. A model with trackers of its own (a GAN's
    /// `d_loss`, `g_loss`) overrides it.
    open var metricsNames: [String] { compiled?.logNamesInKerasOrder ?? [] }

    // MARK: Calling

    /// Every output for these inputs (one tensor per model input, in order).
    public func forward(_ inputs: [Tensor], training: Bool = false) -> [Tensor] {
        forwardWithMasks(inputs, training: training).outputs
    }

    /// Every output and the mask it carries (nil for none): a sequence output behind an
    /// Embedding with `mask_zero`, whose masked steps the compiled losses and metrics leave out.
    public func forwardWithMasks(_ inputs: [Tensor], training: Bool = false) -> (outputs: [Tensor], masks: [Tensor?]) {
        if let graph {
            opCheck(inputs.count == graph.inputs.count,
                         "model '\(name)': \(inputs.count) inputs given, the model has \(graph.inputs.count)")
            var collected: [Tensor] = []
            let result = graph.run(inputs, training: training, losses: &collected)
            losses = collected
            return result
        }
        // A subclassed model with several outputs returns them from its `callOutputs`.
        let outputs = callAll(inputs, training: training)
        losses = callLosses + layers.flatMap(\.callLosses)
        return (outputs, Array(repeating: nil, count: outputs.count))
    }

    /// A Functional model's outputs keep the masks its layers computed, as a nested model in
    /// Keras passes them on.
    open override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        guard graph != nil else { return super.callOutputs(inputs, arguments: arguments, training: training) }
        let result = forwardWithMasks(inputs, training: training)
        lastOutputMasks = result.masks
        return result.outputs
    }

    private var lastOutputMasks: [Tensor?] = []

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, outputCount: Int) -> [Tensor?] {
        guard graph != nil, lastOutputMasks.count == outputCount else {
            return super.outputMasks(for: inputs, masks: masks, arguments: arguments, outputCount: outputCount)
        }
        return lastOutputMasks
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        if graph != nil {
            let outputs = forward(inputs, training: training)
            opCheck(outputs.count == 1, "model '\(name)' has \(outputs.count) outputs; use forward(_:training:)")
            return outputs[0]
        }
        return call(inputs[0], training: training)
    }

    open override var usesTrainingFlag: Bool { layers.contains { $0.usesTrainingFlag } }

    /// A subclassed model goes by its own class, as Keras names it (`CustomerTicketModel model
    /// 'customer_ticket_model'`); Functional and Sequential ones by theirs.
    open override var nameForMessages: String {
        "\(isSubclassed ? String(describing: type(of: self)) : Self.kerasClassName) model '\(name)'"
    }

    open override var inputCount: InputCount { .exactly(max(graph?.inputs.count ?? 1, 1)) }

    open override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        guard let graph else { return try super.outputShapes(for: inputShapes, arguments: arguments) }
        return try graph.outputShapes(for: inputShapes)
    }

    /// A Functional model's output shape comes from its layers' rules, node by node. A subclassed
    /// model states its own by overriding this.
    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        guard let graph else {
            throw invalidInput(expected: "a model that states its output shape (override outputShape(for:))", found: inputShapes)
        }
        let shapes = try graph.outputShapes(for: inputShapes)
        guard shapes.count == 1 else {
            throw invalidInput(expected: "a model with one output to call on symbolic inputs", found: "\(shapes.count) outputs")
        }
        return shapes[0]
    }

    // MARK: Steps (override for a custom train_step, a GAN, ...)

    /// One optimisation step on a batch; returns what the logs show (running epoch means).
    open func trainStep(_ batch: Batch) throws -> Logs { try defaultTrainStep(batch) }

    /// One evaluation step on a batch.
    open func testStep(_ batch: Batch) throws -> Logs { try defaultTestStep(batch) }

    /// Clears the running means at the start of each epoch; a model with its own trackers (a
    /// GAN's d_loss and g_loss) resets them here too.
    open func resetMetrics() { compiled?.resetTrackers() }

    /// The outputs for one batch, in inference mode.
    open func predictStep(_ batch: Batch) -> [Tensor] { forward(batch.x, training: false) }

    /// Draws the shuffling order of `fit`; defaults to the engine-wide generator.
    public var shuffleGenerator: RandomGenerator?
    var trainingGenerator: RandomGenerator { shuffleGenerator ?? KeelRandom.generator }
}
