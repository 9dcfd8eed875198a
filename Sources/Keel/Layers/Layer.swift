import Synchronization

/// The base of every layer (Keras's `Layer`). A layer declares each hyper-parameter once with
/// `@Hyper`; from those declarations come `init(config:)`, `config` in Keras's key order and the
/// checks. It states the shape and dtype of its output from the shapes and dtypes of its inputs
/// (`outputShape(for:)`, Keras's `compute_output_shape`), refusing inputs that do not fit; it
/// creates its weights once in `build`, from the shape of its first input (batch dimension
/// included), and computes in `call`.
open class Layer: ConfigConstructible {
    /// The Swift class name unless a subclass says otherwise, as Keras uses the Python class
    /// name: a custom `ActivityRegularizationLayer` is named `activity_regularization_layer`.
    open class var kerasClassName: String { String(describing: self) }

    /// Keys older Keras versions wrote, by the key the class reads now (LeakyReLU's `alpha`).
    open class var renamedConfigKeys: [String: String] { [:] }

    public var name: String
    /// Setting this marks every weight trainable or not, as Keras does.
    public var trainable: Bool {
        didSet {
            for v in trainableWeightsStore { v.trainable = trainable }
            for sublayer in sublayers.flatMap(\.layers) { sublayer.trainable = trainable }
            Layer.noteWeightsChanged()
        }
    }
    public private(set) var isBuilt = false
    /// The shape of the first input the layer was built for (batch dimension first).
    public private(set) var builtInputShapes: [[Int]] = []

    private var trainableWeightsStore: [Variable] = []
    private var nonTrainableWeightsStore: [Variable] = []
    /// Penalties added during the last call (`add_loss`) and by weight regularizers.
    public private(set) var callLosses: [Tensor] = []
    private var regularized: [(Variable, Regularizer)] = []
    /// A penalty on the layer's output (Keras's `activity_regularizer`), added to the losses of
    /// every call divided by the batch size, as Keras 3 does, so its weight relative to the
    /// weight penalties does not change with the batch size.
    public var activityRegularizer: Regularizer?
    /// Keras's legacy `input_shape=` argument (without the batch dimension): a Sequential model
    /// whose first layer has one gets an InputLayer of that shape, as Keras 3 still does; anywhere
    /// else it is ignored. It is not part of the layer's config (Keras's InputLayer carries it).
    public var inputShape: [Int?]?
    /// The symbolic calls of this layer (Keras's `_inbound_nodes`), in the order they were made.
    public internal(set) var inboundNodes: [Node] = []

    /// `name` nil gives Keras's automatic name (snake_case class name made unique). The class's
    /// own hyper-parameters keep their declared defaults; `@Component` gives each class an
    /// initialiser that takes them too.
    public init(inputShape: [Int?]? = nil, name: String? = nil, trainable: Bool = true) {
        self.name = name ?? Naming.unique(Naming.snakeCase(Self.kerasClassName))
        self.trainable = trainable
        self.inputShape = inputShape
        ActivityRegularizerField.bind(in: self)
    }

    /// Builds the layer from a Keras config: the fields every layer has are read here, the
    /// class's own from its `@Hyper` declarations; any other key is an error naming it.
    public required init(config given: JSONObject) throws {
        let config = Self.renamingLegacyKeys(given)
        let reader = ConfigReader(config, owner: Self.nameForMessages(config["name"]?.stringValue))
        name = try reader.optionalString("name") ?? Naming.unique(Naming.snakeCase(Self.kerasClassName))
        trainable = try reader.bool("trainable", default: true)
        try LayerDTypePolicy.check(reader)
        activityRegularizer = try Regularizer.from(reader.value("activity_regularizer"))
        ActivityRegularizerField.bind(in: self)
        try Hyperparameters.read(config, into: self, owner: reader.owner, otherKeys: Layer.baseConfigKeys)
        try check()
        didConfigure()
    }

    /// The keys every layer reads by hand, then those Keras accepted from older files and Keel
    /// ignores (a tf.keras 2 first layer's `batch_input_shape`: the model's input says it).
    static let baseConfigKeys = ["name", "trainable", "dtype", "activity_regularizer",
                                 "input_dim", "input_shape", "batch_input_shape", "batch_size", "autocast"]

    private static func renamingLegacyKeys(_ config: JSONObject) -> JSONObject {
        var renamed = config
        for (old, new) in renamedConfigKeys {
            guard let value = renamed[old] else { continue }
            renamed[old] = nil
            if renamed[new] == nil { renamed[new] = value }
        }
        return renamed
    }

    /// "Dense layer 'dense_1'": how errors name this layer.
    open var nameForMessages: String { Self.nameForMessages(name) }

    static func nameForMessages(_ name: String?) -> String {
        "\(kerasClassName) layer" + (name.map { " '\($0)'" } ?? "")
    }

    /// Keras's constructor checks: each declared field's rules. Calling the layer on symbolic
    /// inputs runs it for layers made in Swift; a class with rules across fields adds them.
    open func check() throws {
        try Hyperparameters.check(self, owner: nameForMessages)
    }

    /// Runs once the hyper-parameters are set (from a config or a Swift initialiser).
    open func didConfigure() {}

    // MARK: Weights

    /// The layers this one is made of, under the attribute names Keras saves them by (an LSTM's
    /// `cell`, a Bidirectional's `forward_layer` and `backward_layer`, a MultiHeadAttention's
    /// `query_dense`, ...). Their weights follow the layer's own in `weights`, in this order, as in
    /// Keras; saving walks them (`layers/<layer>/<attribute>/vars`). A wrapper sets their weight
    /// paths under its own name (`prefixWeightPaths`).
    open var sublayers: [Sublayer] { [] }

    /// Trainable weights, then non-trainable ones (Keras's `layer.weights` order), then those of
    /// the sublayers.
    public var weights: [Variable] {
        unique(trainableWeightsStore + nonTrainableWeightsStore + sublayers.flatMap(\.layers).flatMap(\.weights))
    }
    public var trainableWeights: [Variable] {
        trainable ? unique(trainableWeightsStore + sublayers.flatMap(\.layers).flatMap(\.trainableWeights)) : []
    }
    /// Weights created non-trainable (BatchNormalization's moving statistics), and every weight
    /// of a layer whose `trainable` is false.
    public var nonTrainableWeights: [Variable] {
        trainable ? unique(nonTrainableWeightsStore + sublayers.flatMap(\.layers).flatMap(\.nonTrainableWeights))
            : weights
    }

    /// The layer's own weights, without its sublayers' (what Keras saves in the layer's `vars`).
    public var ownWeights: [Variable] { trainableWeightsStore + nonTrainableWeightsStore }

    private func unique(_ variables: [Variable]) -> [Variable] {
        var seen = Set<ObjectIdentifier>()
        return variables.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Weight penalties of this layer and of its sublayers, at any depth.
    private var regularizedWeights: [(Variable, Regularizer)] {
        regularized + sublayers.flatMap(\.layers).flatMap(\.regularizedWeights)
    }

    /// Creates a weight named `<layer name>/<name>`; its constraint (if any) is applied after
    /// each optimizer update. An int32 weight (Normalization's `count`) holds the initializer's
    /// values cast.
    @discardableResult
    public func addWeight(name weightName: String, shape: [Int], initializer: Initializer,
                          regularizer: Regularizer? = nil, constraint: Constraint? = nil,
                          trainable weightTrainable: Bool = true, dtype: DType = .float32) -> Variable {
        let initial = dtype == .float32 ? initializer(shape) : initializer(shape).cast(to: dtype)
        let variable = Variable(initial, name: weightName, path: "\(name)/\(weightName)",
                                trainable: weightTrainable && trainable)
        variable.constraint = constraint
        if weightTrainable {
            trainableWeightsStore.append(variable)
        } else {
            nonTrainableWeightsStore.append(variable)
        }
        if let regularizer { regularized.append((variable, regularizer)) }
        Layer.noteWeightsChanged()
        return variable
    }

    /// Prefixes every weight's path, e.g. with the name of the Sequential model that built it,
    /// or of the wrapper a sublayer belongs to.
    public func prefixWeightPaths(with prefix: String) {
        for v in weights where !v.path.hasPrefix(prefix + "/") { v.path = "\(prefix)/\(v.path)" }
    }

    // MARK: Shapes

    /// How many inputs a call takes: one, or at least two for merge layers (Keras's `Merge`).
    open var inputCount: InputCount { .one }

    /// The names of the call's arguments when Keras takes the inputs as separate positional
    /// arguments (MultiHeadAttention's `query`, `value`, `key`) rather than as one list (merge
    /// layers, Attention's `[query, value]`), nil for the latter: a model config then writes the
    /// call's `args` one by one and the `build_config` as Keras's `shapes_dict` (`query_shape`, ...).
    open var positionalInputNames: [String]? { nil }

    /// The output's shape for inputs of these shapes (batch dimension first, nil unknown), as
    /// Keras's `compute_output_shape`; inputs that do not suit the layer are a KeelError naming
    /// it (`invalidInput`). The shapes come in the number `inputCount` allows. The default
    /// passes one input's shape through, as activation-like layers do.
    open func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        inputShapes[0]
    }

    /// The output's dtype: float32, except in layers that only move values around, which keep
    /// their input's (integer ids stay integers).
    open func outputDType(for inputDTypes: [DType]) -> DType { .float32 }

    /// The shapes of every output, for layers whose call returns several tensors (an RNN with
    /// `return_state`, attention returning its scores). `arguments` holds the call's non-tensor
    /// arguments (flags such as `return_attention_scores`); tensor arguments are not known when
    /// shapes are inferred. The default is the one output of `outputShape(for:)`.
    open func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        [try outputShape(for: inputShapes)]
    }

    /// Checks the hyper-parameters, the number of inputs and their shapes, and returns the output
    /// shape: what calling the layer on symbolic inputs of these shapes would give. Models built
    /// from files and `Sequential.add` run it before the layer is ever called.
    @discardableResult
    public func checkInputs(_ shapes: [[Int?]]) throws -> [Int?] {
        let all = try checkInputs(shapes, arguments: .none)
        guard all.count == 1 else {
            throw invalidInput(expected: "a layer with one output here", found: "a call returning \(all.count) tensors")
        }
        return all[0]
    }

    /// `checkInputs` for every output of a call with these (non-tensor) arguments.
    public func checkInputs(_ shapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        try check()
        guard inputCount.allows(shapes.count) else {
            throw invalidInput(expected: inputCount.description, found: shapes)
        }
        try checkCallArguments(arguments)
        let outputs = try outputShapes(for: shapes, arguments: arguments)
        guard outputs.count == 1 else { return outputs }
        return [try shapeAfterActivation(outputs[0], inputShapes: shapes)]
    }

    /// The error for inputs that do not suit this layer: "Conv2D layer 'conv2d_1': expected ...,
    /// found input shape (None, 2, 2, 1)".
    public func invalidInput(expected: String, found shapes: [[Int?]]) -> KeelError {
        invalidInput(expected: expected, found: describeShapes(shapes))
    }

    public func invalidInput(expected: String, found: String) -> KeelError {
        KeelError(nameForMessages, expected: expected, found: found)
    }

    // MARK: Building and calling

    /// Creates the weights for inputs of these shapes. Multi-input layers override this one.
    open func build(inputShapes: [[Int]]) {
        build(inputShape: inputShapes[0])
    }

    /// Creates the weights for an input of this shape (batch dimension first).
    open func build(inputShape: [Int]) {}

    /// The computation on one input. Single-input layers override this one.
    open func call(_ input: Tensor, training: Bool) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override call(_:training:)")
    }

    /// The computation on several inputs. Multi-input layers (Concatenate, Add) override this one.
    open func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        opCheck(inputs.count == 1, "layer '\(name)' (\(Self.kerasClassName)) takes one input, got \(inputs.count)")
        return call(inputs[0], training: training)
    }

    /// The names of the call arguments this layer takes beside its inputs (`CallArguments`).
    open var acceptedCallArguments: Set<String> { [] }

    /// The computation with named call arguments; layers that accept some override this one.
    open func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        call(inputs, training: training)
    }

    /// Every output of the computation. Layers whose call returns several tensors (as many as
    /// `outputShapes(for:arguments:)` states) override this one; the default is the one output
    /// of `call`.
    open func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        [call(inputs, arguments: arguments, training: training)]
    }

    // MARK: Masks

    /// Whether the layer passes the mask of its (first) input on to its output unchanged, as
    /// Keras's `supports_masking`. A layer that does not drops the mask, as Keras 3 does.
    open var supportsMasking: Bool { false }

    /// The mask of each of the `outputCount` outputs, for inputs with these masks (nil = none), as
    /// Keras's `compute_mask`. Masks are float32 tensors of 0 and 1, (batch, time) for sequences.
    /// The default passes the first input's mask on when `supportsMasking`; Embedding with
    /// `mask_zero`, Masking and the RNNs override it.
    open func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, outputCount: Int) -> [Tensor?] {
        let passed = supportsMasking ? (masks.first ?? nil) : nil
        return [passed] + Array(repeating: nil, count: max(outputCount - 1, 0))
    }

    /// The call arguments that carry the inputs' masks into `call`, as Keras fills a call's `mask`
    /// argument from its inputs: `mask` (one tensor, or one per input for a layer of several
    /// inputs) for a layer that accepts it, nothing when no input has a mask. MultiHeadAttention
    /// overrides it (`query_mask`, `value_mask`, `key_mask`).
    open func maskArguments(for masks: [Tensor?]) -> CallArguments {
        guard acceptedCallArguments.contains("mask"), masks.contains(where: { $0 != nil }) else { return .none }
        if masks.count == 1, let mask = masks[0] { return CallArguments(["mask": .tensor(mask)]) }
        return CallArguments(["mask": .optionalTensors(masks)])
    }

    /// Whether `call` behaves differently in training (Dropout, BatchNormalization).
    open var usesTrainingFlag: Bool { false }

    /// The penalty on each call's output: the activity regularizer, or what the layer itself
    /// stands for (ActivityRegularization).
    open var outputPenalty: Regularizer? { activityRegularizer }

    /// Builds on first use, then calls. Losses added by the previous call are cleared first.
    public func callAsFunction(_ inputs: [Tensor], training: Bool = false) -> Tensor {
        callAsFunction(inputs, arguments: .none, training: training)
    }

    /// A call with named arguments (`CallArguments`); each must be one the layer accepts. A layer
    /// whose call returns several tensors is called with `callAll`.
    public func callAsFunction(_ inputs: [Tensor], arguments: CallArguments, training: Bool = false) -> Tensor {
        let outputs = callAll(inputs, arguments: arguments, training: training)
        opCheck(outputs.count == 1, "\(nameForMessages) returned \(outputs.count) tensors: call it with callAll")
        return outputs[0]
    }

    /// Builds on first use, then calls, returning every output (an RNN's output and states, an
    /// attention layer's output and scores). Losses added by the previous call are cleared first.
    public func callAll(_ inputs: [Tensor], arguments: CallArguments = .none, training: Bool = false) -> [Tensor] {
        opCheck(arguments.names.allSatisfy(acceptedCallArguments.contains),
                "\(nameForMessages): call arguments \(arguments.names) (it takes \(acceptedCallArguments.sorted()))")
        // Checked before building: `build` and `call` index the inputs they are promised. A
        // subclassed model's hand-written `call` decides for itself what it takes.
        opCheck(self is Model || inputCount.allows(inputs.count),
                "\(nameForMessages): expected \(inputCount.description), found \(describeShapes(inputs.map { $0.shape.map { $0 } }))")
        buildIfNeeded(inputShapes: inputs.map(\.shape))
        callLosses = []
        let outputs = callOutputs(inputs, arguments: arguments, training: training)
        for (variable, regularizer) in regularizedWeights where variable.trainable {
            callLosses.append(regularizer(variable.value))
        }
        if let outputPenalty, let output = outputs.first {
            let penalty = outputPenalty(output)
            let batch = output.rank > 0 ? output.shape[0] : 1
            // Keras divides with divide_no_nan: an empty batch adds zero.
            callLosses.append(batch > 0 ? penalty / Float(batch) : penalty * 0)
        }
        return outputs
    }

    public func callAsFunction(_ input: Tensor, training: Bool = false) -> Tensor {
        callAsFunction([input], training: training)
    }

    /// Builds the layer for inputs of these shapes without calling it.
    public func buildIfNeeded(inputShapes: [[Int]]) {
        guard !isBuilt else { return }
        build(inputShapes: inputShapes)
        builtInputShapes = inputShapes
        isBuilt = true
    }

    /// Adds a penalty to the losses of this call (Keras's `add_loss`, used inside `call`).
    public func addLoss(_ loss: Tensor) { callLosses.append(loss) }

    // MARK: Config

    /// Keras's `get_config()`: the common fields, then every declared hyper-parameter in
    /// declaration order. `activity_regularizer` follows `dtype` when set, as Keras's
    /// `Layer.get_config` puts it; layers whose own config lists it (Conv2D) write it in their
    /// place even when null (`ActivityRegularizerField`).
    open var config: JSONObject {
        var object: JSONObject = ["name": .string(name), "trainable": .bool(trainable), "dtype": Layer.dtypePolicyConfig]
        if let activityRegularizer { object["activity_regularizer"] = activityRegularizer.serialized() }
        Hyperparameters.write(self, into: &object)
        return object
    }

    /// How Keras 3 serializes the float32 dtype policy inside layer configs.
    public static let dtypePolicyConfig: JSONValue = [
        "module": "keras", "class_name": "DTypePolicy", "config": ["name": "float32"], "registered_name": nil,
    ]
}

/// A layer held by another under the attribute name Keras saves it by: one layer (`cell`,
/// `forward_layer`), or a list (StackedRNNCells's `cells`), whose items Keras saves under their
/// class's snake_case name made unique within the list.
public enum Sublayer {
    case one(String, Layer)
    case list(String, [Layer])

    public var attribute: String {
        switch self {
        case .one(let name, _), .list(let name, _): return name
        }
    }

    public var layers: [Layer] {
        switch self {
        case .one(_, let layer): return [layer]
        case .list(_, let layers): return layers
        }
    }
}

/// How many inputs a layer call takes.
public enum InputCount: CustomStringConvertible, Sendable {
    case one
    /// Merge layers (Add, Concatenate): Keras requires at least two.
    case atLeastTwo
    case exactly(Int)
    /// From `lower` to `upper` inputs (MultiHeadAttention's query and value, and an optional key).
    case between(Int, Int)

    public func allows(_ count: Int) -> Bool {
        switch self {
        case .one: return count == 1
        case .atLeastTwo: return count >= 2
        case .exactly(let n): return count == n
        case .between(let lower, let upper): return count >= lower && count <= upper
        }
    }

    public var description: String {
        switch self {
        case .one: return "one input"
        case .atLeastTwo: return "at least 2 inputs"
        case .exactly(let n): return n == 1 ? "one input" : "\(n) inputs"
        case .between(let lower, let upper): return "\(lower) to \(upper) inputs"
        }
    }
}

extension Layer {
    /// Bumped whenever any layer gains a weight or changes `trainable`, so a list of variables
    /// cached across steps (the train step's) knows when it must be gathered again.
    public static var weightsGeneration: Int { weightsGenerationCounter.load(ordering: .relaxed) }

    static func noteWeightsChanged() { weightsGenerationCounter.wrappingAdd(1, ordering: .relaxed) }
}

private let weightsGenerationCounter = Atomic<Int>(0)
