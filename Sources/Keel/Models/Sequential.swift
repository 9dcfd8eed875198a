/// A plain stack of layers (Keras's `Sequential`). Once the input shape is known (an
/// `InputLayer` first, or the first call), it is a Functional graph underneath.
public final class Sequential: Model {
    public override class var kerasClassName: String { "Sequential" }

    private var stack: [Layer] = []
    private var inputLayer: InputLayer?

    public init(_ layers: [Layer] = [], name: String? = nil) throws {
        super.init(name: name ?? Naming.unique("sequential"))
        for layer in layers { try add(layer) }
    }

    /// The layers in order, without the InputLayer (Keras's `Sequential.layers`).
    public override var layers: [Layer] { stack }

    public func add(_ layer: Layer) throws {
        if let input = layer as? InputLayer {
            guard inputLayer == nil, stack.isEmpty else {
                throw KeelError("Sequential model '\(name)'", expected: "an InputLayer only as the first layer",
                                found: "InputLayer '\(input.name)' after other layers")
            }
            inputLayer = input
            return try rebuildGraph()
        }
        stack.append(layer)
        try rebuildGraph()
    }

    /// Builds the model for inputs of `shape` (batch dimension first), as Keras's `build`.
    public func build(inputShape shape: [Int?]) throws {
        if inputLayer == nil { inputLayer = InputLayer(batchShape: shape) }
        try rebuildGraph()
    }

    public var inputBatchShape: [Int?]? { inputLayer?.batchShape }

    private func rebuildGraph() throws {
        guard let inputLayer, let start = inputLayer.output else { return }
        var x = start
        for layer in stack {
            // A layer already called by this model keeps its node; Keras builds each layer once.
            if let existing = layer.inboundNodes.first(where: { $0.inputs.first === x }) {
                x = existing.outputs[0]
            } else {
                x = layer(x)
            }
            layer.prefixWeightPaths(with: name)
        }
        try replaceGraph(inputs: [start], outputs: [x])
    }

    public override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        if !isFunctional {
            // First call without a declared input: build from the data, as Keras does.
            try? build(inputShape: [nil] + inputs[0].shape.dropFirst().map { $0 })
        }
        return super.call(inputs, training: training)
    }
}
