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

/// One call of a layer on symbolic inputs (Keras's `Node`).
public final class Node {
    public let layer: Layer
    public let inputs: [SymbolicTensor]
    public private(set) var outputs: [SymbolicTensor] = []
    /// The position of this node among the layer's inbound nodes.
    public let indexInLayer: Int

    init(layer: Layer, inputs: [SymbolicTensor], outputShapes: [[Int?]], dtype: DType) {
        self.layer = layer
        self.inputs = inputs
        self.indexInLayer = layer.inboundNodes.count
        layer.inboundNodes.append(self)
        outputs = outputShapes.enumerated().map { SymbolicTensor(shape: $0.element, dtype: dtype, node: self, tensorIndex: $0.offset) }
    }
}

/// Keras's `Input(shape=...)`: the symbolic input of a Functional model, made by an InputLayer.
public func Input(shape: [Int?], name: String? = nil, dtype: DType = .float32) -> SymbolicTensor {
    let layer = InputLayer(batchShape: [nil] + shape, dtype: dtype, name: name)
    return layer.output!
}

extension Layer {
    /// The output of the layer's first call (Keras's `layer.output`), for feature extraction.
    public var output: SymbolicTensor? { inboundNodes.first?.outputs.first }

    /// The input of the layer's first call (Keras's `layer.input`).
    public var input: SymbolicTensor? { inboundNodes.first?.inputs.first }

    /// Calls the layer on symbolic tensors, as Keras does while a model is being built: checks
    /// the hyper-parameters, the number of inputs and their shapes (a KeelError naming the layer
    /// and the shapes when they do not fit, thrown at the line that made the call), infers the
    /// output's shape and dtype, builds the weights and records a node. Nothing is computed.
    public func callAsFunction(_ inputs: [SymbolicTensor]) throws -> SymbolicTensor {
        let shapes = inputs.map(\.shape)
        let outputShape = try checkInputs(shapes)
        // `outputShape(for:)` refused unknown sizes the weights depend on; others do not matter.
        buildIfNeeded(inputShapes: shapes.map { $0.map { $0 ?? 1 } })
        let node = Node(layer: self, inputs: inputs, outputShapes: [outputShape], dtype: outputDType(for: inputs.map(\.dtype)))
        return node.outputs[0]
    }

    public func callAsFunction(_ input: SymbolicTensor) throws -> SymbolicTensor { try callAsFunction([input]) }
}
