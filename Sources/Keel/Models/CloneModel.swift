/// Keras's `keras.models.clone_model`: a model of the same architecture with new layers, so new
/// weights drawn afresh by their initializers (a seeded initializer draws the same values again,
/// as in Keras); nothing is shared with the original. Layers keep their names and configs, the
/// model its name and `trainable`; a Functional model gets new Input layers of the same names,
/// shapes and dtypes, and a layer the original calls several times (shared) is cloned once and
/// called as often. A compiled model's clone is compiled again from its compile configuration
/// (a fresh optimizer with the same settings), as Keras does.
///
/// `cloneFunction` makes the layer to use in place of each layer (Input layers excepted), as
/// Keras's `clone_function`; by default a layer is rebuilt from its config, and a nested
/// Sequential or Functional model is cloned with `cloneModel`. A subclassed model cannot be
/// cloned: its layers are not a graph Keel can walk (Keras rebuilds such a model from its
/// `get_config`; in Swift, make a new instance).
public func cloneModel(_ model: Model, cloneFunction: ((Layer) throws -> Layer)? = nil) throws -> Model {
    var cloner = ModelCloner(cloneFunction: cloneFunction)
    return try cloner.clone(model)
}

struct ModelCloner {
    let cloneFunction: ((Layer) throws -> Layer)?
    /// Clones by the original's identity, so a shared layer stays shared in the clone.
    private var clones: [ObjectIdentifier: Layer] = [:]

    init(cloneFunction: ((Layer) throws -> Layer)?) {
        self.cloneFunction = cloneFunction
    }

    mutating func clone(_ model: Model) throws -> Model {
        let copy: Model
        if let sequential = model as? Sequential {
            copy = try cloneSequential(sequential)
        } else if model.isFunctional {
            copy = try cloneFunctional(model)
        } else {
            throw KeelError("cloneModel(\(model.nameForMessages))",
                            expected: "a Sequential or Functional model (for a subclassed model, make a new instance)",
                            found: "a subclassed model (\(type(of: model)))")
        }
        copy.trainable = model.trainable
        if let compileConfig = TrainingConfig.json(of: model, flavour: .kerasArchive)?.objectValue {
            try TrainingConfig.compile(copy, from: compileConfig, source: "cloneModel(\(model.nameForMessages))")
        }
        return copy
    }

    private mutating func cloneSequential(_ model: Sequential) throws -> Sequential {
        let copy = try Sequential(name: model.name)
        if let input = model.inputs.first {
            try copy.add(Self.newInputLayer(like: input))
        }
        for layer in model.layers { try copy.add(try cloneLayer(layer)) }
        return copy
    }

    private mutating func cloneFunctional(_ model: Model) throws -> Model {
        var tensors: [ObjectIdentifier: SymbolicTensor] = [:]
        var newInputs: [SymbolicTensor] = []
        for input in model.inputs {
            let tensor = Self.newInputLayer(like: input).symbolicInput
            tensors[ObjectIdentifier(input)] = tensor
            newInputs.append(tensor)
        }
        for node in model.graphNodes where !(node.layer is InputLayer) {
            // A model input made by another layer (a sub-graph's input) is already mapped.
            guard tensors[ObjectIdentifier(node.outputs[0])] == nil else { continue }
            let arguments = node.inputs.map { tensors[ObjectIdentifier($0)]! }
            var tensorArguments: [String: SymbolicArgument] = [:]
            for (name, argument) in node.tensorArguments {
                switch argument {
                case .tensor(let t): tensorArguments[name] = .tensor(tensors[ObjectIdentifier(t)]!)
                case .tensors(let ts): tensorArguments[name] = .tensors(ts.map { tensors[ObjectIdentifier($0)]! })
                }
            }
            let outputs = try cloneLayer(node.layer).callAll(arguments, arguments: node.flags, tensorArguments: tensorArguments)
            for (old, new) in zip(node.outputs, outputs) { tensors[ObjectIdentifier(old)] = new }
        }
        return try Model(inputs: newInputs, outputs: model.outputs.map { tensors[ObjectIdentifier($0)]! }, name: model.name)
    }

    private mutating func cloneLayer(_ layer: Layer) throws -> Layer {
        if let done = clones[ObjectIdentifier(layer)] { return done }
        let copy: Layer
        if let cloneFunction {
            copy = try cloneFunction(layer)
        } else if let nested = layer as? Model {
            copy = try clone(nested)
        } else {
            copy = try type(of: layer).init(config: layer.config)
        }
        clones[ObjectIdentifier(layer)] = copy
        return copy
    }

    /// An Input layer of the same name, batch shape and dtype as the one that made `tensor`.
    private static func newInputLayer(like tensor: SymbolicTensor) -> InputLayer {
        let original = tensor.layer as? InputLayer
        return InputLayer(batchShape: tensor.shape, dtype: tensor.dtype, name: tensor.layer?.name,
                          sparse: original?.sparse ?? false, optional: original?.optional ?? false)
    }
}
