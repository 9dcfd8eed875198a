/// The base of every layer (Keras's `Layer`). A layer creates its weights once in `build`, from
/// the shape of its first input (batch dimension included), and computes in `call`. `config`
/// is Keras's `get_config()`; each registered layer also rebuilds itself from that config.
open class Layer: KerasSerializable {
    /// The Swift class name unless a subclass says otherwise, as Keras uses the Python class
    /// name: a custom `ActivityRegularizationLayer` is named `activity_regularization_layer`.
    open class var kerasClassName: String { String(describing: self) }

    public var name: String
    /// Setting this marks every weight trainable or not, as Keras does.
    public var trainable: Bool {
        didSet { for v in trainableWeightsStore { v.trainable = trainable } }
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
    /// The symbolic calls of this layer (Keras's `_inbound_nodes`), in the order they were made.
    public internal(set) var inboundNodes: [Node] = []

    /// `name` nil gives Keras's automatic name (snake_case class name made unique).
    public init(name: String? = nil, trainable: Bool = true) {
        self.name = name ?? Naming.unique(Naming.snakeCase(Self.kerasClassName))
        self.trainable = trainable
    }

    /// Reads `name`, `trainable` and `activity_regularizer` from a config.
    public convenience init(baseConfig reader: ConfigReader) throws {
        self.init(name: try reader.optionalString("name"), trainable: try reader.bool("trainable", default: true))
        activityRegularizer = try Regularizer.from(reader.value("activity_regularizer"))
    }

    // MARK: Weights

    /// Trainable weights, then non-trainable ones (Keras's `layer.weights` order).
    public var weights: [Variable] { trainableWeightsStore + nonTrainableWeightsStore }
    public var trainableWeights: [Variable] { trainable ? trainableWeightsStore : [] }
    /// Weights created non-trainable (BatchNormalization's moving statistics), and every weight
    /// of a layer whose `trainable` is false.
    public var nonTrainableWeights: [Variable] {
        trainable ? nonTrainableWeightsStore : trainableWeightsStore + nonTrainableWeightsStore
    }

    /// Creates a weight named `<layer name>/<name>`.
    @discardableResult
    public func addWeight(name weightName: String, shape: [Int], initializer: Initializer,
                          regularizer: Regularizer? = nil, trainable weightTrainable: Bool = true) -> Variable {
        let variable = Variable(initializer(shape), name: weightName, path: "\(name)/\(weightName)",
                                trainable: weightTrainable && trainable)
        if weightTrainable {
            trainableWeightsStore.append(variable)
        } else {
            nonTrainableWeightsStore.append(variable)
        }
        if let regularizer { regularized.append((variable, regularizer)) }
        return variable
    }

    /// Replaces every weight's value, in `weights` order (Keras's `set_weights`).
    public func setWeights(_ values: [Tensor]) throws {
        let current = weights
        guard values.count == current.count else {
            throw KeelError("layer '\(name)' set_weights", expected: "\(current.count) arrays",
                            found: "\(values.count)")
        }
        for (variable, value) in zip(current, values) {
            guard variable.shape == value.shape else {
                throw KeelError("layer '\(name)' weight '\(variable.name)'", expected: "shape \(variable.shape)",
                                found: "shape \(value.shape)")
            }
            variable.assign(value)
        }
    }

    /// Prefixes every weight's path, e.g. with the name of the Sequential model that built it.
    public func prefixWeightPaths(with prefix: String) {
        for v in weights where !v.path.hasPrefix(prefix + "/") { v.path = "\(prefix)/\(v.path)" }
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
        preconditionFailure("\(type(of: self)) must override call(_:training:)")
    }

    /// The computation on several inputs. Multi-input layers (Concatenate, Add) override this one.
    open func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        precondition(inputs.count == 1, "layer '\(name)' (\(Self.kerasClassName)) takes one input, got \(inputs.count)")
        return call(inputs[0], training: training)
    }

    /// Checks that inputs of these shapes (batch dimension first, nil unknown) suit the layer, as
    /// a KeelError naming the layer. Models built from a file's config run it before calling the
    /// layer, so a config that does not fit together is an error rather than a trapped op. A
    /// layer with its own rules adopts `InputValidating`; others take exactly one input.
    public func checkInputs(_ shapes: [[Int?]]) throws {
        if let validating = self as? InputValidating {
            try validating.validateInputs(shapes)
        } else if shapes.count != 1 {
            throw invalidInput("one input", found: "\(shapes.count) inputs")
        }
    }

    /// The error for inputs that do not suit this layer.
    public func invalidInput(_ expected: String, found: String) -> KeelError {
        KeelError("layer '\(name)' (\(Self.kerasClassName))", expected: expected, found: found)
    }

    /// Whether `call` behaves differently in training (Dropout, BatchNormalization).
    open var usesTrainingFlag: Bool { false }

    /// Builds on first use, then calls. Losses added by the previous call are cleared first.
    public func callAsFunction(_ inputs: [Tensor], training: Bool = false) -> Tensor {
        if !isBuilt {
            build(inputShapes: inputs.map(\.shape))
            builtInputShapes = inputs.map(\.shape)
            isBuilt = true
        }
        callLosses = []
        let output = call(inputs, training: training)
        for (variable, regularizer) in regularized where variable.trainable {
            callLosses.append(regularizer(variable.value))
        }
        if let activityRegularizer {
            let penalty = activityRegularizer(output)
            let batch = output.rank > 0 ? output.shape[0] : 1
            // Keras divides with divide_no_nan: an empty batch adds zero.
            callLosses.append(batch > 0 ? penalty / Float(batch) : penalty * 0)
        }
        return output
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

    /// Keras's common config fields; subclasses add theirs to this. `activity_regularizer` is
    /// there only when set, as in Keras's `Layer.get_config` (layers whose own config lists it,
    /// like Conv2D, write it in their place even when null).
    open var config: JSONObject {
        var object: JSONObject = ["name": .string(name), "trainable": .bool(trainable), "dtype": Layer.dtypePolicyConfig]
        if let activityRegularizer { object["activity_regularizer"] = activityRegularizer.serialized() }
        return object
    }

    /// How Keras 3 serializes the float32 dtype policy inside layer configs.
    public static let dtypePolicyConfig: JSONValue = [
        "module": "keras", "class_name": "DTypePolicy", "config": ["name": "float32"], "registered_name": nil,
    ]
}
