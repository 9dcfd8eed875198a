/// A placeholder for a tensor in a Functional model's graph (Keras's `KerasTensor`): its shape
/// (nil = unknown, e.g. the batch dimension), dtype, and the layer call that produces it.
public final class SymbolicTensor {
    public let shape: [Int?]
    public let dtype: DType
    /// The node (layer call) that made this tensor and its position among that node's outputs.
    public internal(set) weak var node: Node?
    public let tensorIndex: Int

    init(shape: [Int?], dtype: DType, node: Node?, tensorIndex: Int) {
        self.shape = shape
        self.dtype = dtype
        self.node = node
        self.tensorIndex = tensorIndex
    }

    /// The layer that produced this tensor.
    public var layer: Layer? { node?.layer }

    /// Keras's `keras_history`: (layer name, node index, tensor index).
    public var history: (layer: String, nodeIndex: Int, tensorIndex: Int)? {
        guard let node else { return nil }
        return (node.layer.name, node.indexInLayer, tensorIndex)
    }
}

/// A call argument made by other layer calls: an explicit `mask` a Keras file names, an RNN's
/// `initial_state`.
public enum SymbolicArgument {
    case tensor(SymbolicTensor)
    case tensors([SymbolicTensor])

    var tensors: [SymbolicTensor] {
        switch self {
        case .tensor(let t): return [t]
        case .tensors(let ts): return ts
        }
    }
}

/// One call of a layer on symbolic inputs (Keras's `Node`).
public final class Node {
    public let layer: Layer
    public let inputs: [SymbolicTensor]
    /// The call's flags (`use_causal_mask`, `return_attention_scores`), saved as the node's kwargs.
    public let flags: CallArguments
    /// Call arguments computed by other calls, by name.
    public let tensorArguments: [String: SymbolicArgument]
    public private(set) var outputs: [SymbolicTensor] = []
    /// The position of this node among the layer's inbound nodes.
    public let indexInLayer: Int

    init(layer: Layer, inputs: [SymbolicTensor], flags: CallArguments = .none,
         tensorArguments: [String: SymbolicArgument] = [:], outputShapes: [[Int?]], dtype: DType) {
        self.layer = layer
        self.inputs = inputs
        self.flags = flags
        self.tensorArguments = tensorArguments
        self.indexInLayer = layer.inboundNodes.count
        layer.inboundNodes.append(self)
        outputs = outputShapes.enumerated().map { SymbolicTensor(shape: $0.element, dtype: dtype, node: self, tensorIndex: $0.offset) }
    }

    /// Every tensor the call reads: its inputs, then its tensor arguments (in name order).
    var dependencies: [SymbolicTensor] {
        inputs + tensorArguments.keys.sorted().flatMap { tensorArguments[$0]!.tensors }
    }
}

/// Keras's `Input(shape=...)`: the symbolic input of a Functional model, made by an InputLayer.
public func Input(shape: [Int?], name: String? = nil, dtype: DType = .float32) -> SymbolicTensor {
    InputLayer(batchShape: [nil] + shape, dtype: dtype, name: name).symbolicInput
}

extension Layer {
    /// The output of the layer's first call (Keras's `layer.output`), for feature extraction; a
    /// Functional model's own output. A layer never called has none: a KeelError, where Keras
    /// raises AttributeError. A layer called several times (shared) gives its first call's, as
    /// Keras 3 does; `inboundNodes` holds the others.
    public var output: SymbolicTensor {
        get throws {
            if let model = self as? Model, model.isFunctional {
                guard model.outputs.count == 1 else {
                    throw KeelError("output of \(nameForMessages)", expected: "a model with one output",
                                    found: "\(model.outputs.count) outputs (read `outputs` for the list)")
                }
                return model.outputs[0]
            }
            return try firstNode(for: "output").outputs[0]
        }
    }

    /// The input of the layer's first call (Keras's `layer.input`), for a call on one tensor; a
    /// merge layer's several inputs are `inputTensors`. An InputLayer's input is the tensor it
    /// makes (Keras 3 returns an empty list there). Never called: a KeelError; called several
    /// times: the first call's, as Keras 3 does.
    public var input: SymbolicTensor {
        get throws {
            let tensors = try inputTensors
            guard tensors.count == 1 else {
                throw KeelError("input of \(nameForMessages)", expected: "a layer called on one tensor",
                                found: "a call on \(tensors.count) tensors (read `inputTensors` for the list)")
            }
            return tensors[0]
        }
    }

    /// Every input of the layer's first call, in call order (Keras's `layer.input` when it is a
    /// list, as for Concatenate or Add); a Functional model's own inputs.
    public var inputTensors: [SymbolicTensor] {
        get throws {
            if let model = self as? Model, model.isFunctional { return model.inputs }
            let node = try firstNode(for: "input")
            return node.inputs.isEmpty ? node.outputs : node.inputs
        }
    }

    private func firstNode(for what: String) throws -> Node {
        guard let node = inboundNodes.first else {
            throw KeelError("\(what) of \(nameForMessages)", expected: "a layer called on symbolic tensors (in a Functional model)",
                            found: "a layer that has never been called, so it has no defined \(what)")
        }
        return node
    }

    /// Calls the layer on symbolic tensors, as Keras does while a model is being built: checks
    /// the hyper-parameters, the number of inputs and their shapes (a KeelError naming the layer
    /// and the shapes when they do not fit, thrown at the line that made the call), infers the
    /// output's shape and dtype, builds the weights and records a node. Nothing is computed.
    /// `flags` are the call's non-tensor arguments (`use_causal_mask: true`); `tensorArguments`
    /// those other calls compute (an `initial_state`, an explicit `mask`). The inputs' masks need
    /// no argument: they flow through the graph to the layers that use them, as in Keras. A
    /// layer whose call returns several tensors is called with `callAll`.
    public func callAsFunction(_ inputs: [SymbolicTensor], arguments flags: CallArguments = .none,
                               tensorArguments: [String: SymbolicArgument] = [:]) throws -> SymbolicTensor {
        let outputs = try callAll(inputs, arguments: flags, tensorArguments: tensorArguments)
        guard outputs.count == 1 else {
            throw KeelError("call of \(nameForMessages)", expected: "one output (use callAll for a call returning several)",
                            found: "\(outputs.count) outputs")
        }
        return outputs[0]
    }

    public func callAsFunction(_ input: SymbolicTensor, arguments flags: CallArguments = .none,
                               tensorArguments: [String: SymbolicArgument] = [:]) throws -> SymbolicTensor {
        try callAsFunction([input], arguments: flags, tensorArguments: tensorArguments)
    }

    /// Calls the layer on symbolic tensors and returns every output (an RNN's output and states
    /// with `return_state`, attention's output and scores).
    public func callAll(_ inputs: [SymbolicTensor], arguments flags: CallArguments = .none,
                        tensorArguments: [String: SymbolicArgument] = [:]) throws -> [SymbolicTensor] {
        guard flags.flags.names == flags.names else {
            throw KeelError("call arguments of \(nameForMessages)", expected: "flags (tensors go in tensorArguments)",
                            found: flags.names.joined(separator: ", "))
        }
        try checkCallArgumentNames(tensorArguments.keys.sorted())
        let shapes = inputs.map(\.shape)
        let outputShapes = try checkInputs(shapes, arguments: flags)
        // `outputShape(for:)` refused unknown sizes the weights depend on; others do not matter.
        buildIfNeeded(inputShapes: shapes.map { $0.map { $0 ?? 1 } })
        let node = Node(layer: self, inputs: inputs, flags: flags, tensorArguments: tensorArguments,
                        outputShapes: outputShapes, dtype: outputDType(for: inputs.map(\.dtype)))
        return node.outputs
    }

    public func callAll(_ input: SymbolicTensor, arguments flags: CallArguments = .none,
                        tensorArguments: [String: SymbolicArgument] = [:]) throws -> [SymbolicTensor] {
        try callAll([input], arguments: flags, tensorArguments: tensorArguments)
    }
}
