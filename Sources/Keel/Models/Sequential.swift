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

    /// Keras's Sequential config: `name`, `trainable`, the layers (an InputLayer first when the
    /// input shape is known) and `build_input_shape`. Each layer is checked against the output of
    /// the one before as it is added.
    public required convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "Sequential config")
        try self.init(name: try reader.optionalString("name"))
        guard let layers = config["layers"]?.arrayValue else {
            throw KeelError("Sequential config: field 'layers'", expected: "a list of layer configs",
                            found: config["layers"]?.summary ?? "no such field")
        }
        for layerValue in layers { try add(try Registries.layers.make(from: layerValue)) }
        if !isFunctional, let shape = try reader.optionalInts("build_input_shape") {
            try build(inputShape: shape)
        }
        trainable = try reader.bool("trainable", default: true)
    }

    /// The layers in order, without the InputLayer (Keras's `Sequential.layers`).
    public override var layers: [Layer] { stack }

    /// Adds a layer on top. When the input shape is known, the layer is called on the current
    /// output at once, so a layer that does not fit is a KeelError here, as in Keras, and the
    /// model stays as it was.
    public func add(_ layer: Layer) throws {
        if let input = layer as? InputLayer {
            guard inputLayer == nil, stack.isEmpty else {
                throw KeelError("Sequential model '\(name)'", expected: "an InputLayer only as the first layer",
                                found: "InputLayer '\(input.name)' after other layers")
            }
            inputLayer = input
            return try rebuildGraph()
        }
        let declaresInput = inputLayer == nil && stack.isEmpty && layer.inputShape != nil
        if declaresInput, let shape = layer.inputShape {
            // Keras 3's legacy `input_shape=` on the first layer: an InputLayer of that shape.
            inputLayer = InputLayer(batchShape: [nil] + shape)
        }
        stack.append(layer)
        do {
            try rebuildGraph()
        } catch {
            stack.removeLast()
            if declaresInput { inputLayer = nil }
            throw error
        }
    }

    /// Builds the model for inputs of `shape` (batch dimension first), as Keras's `build`.
    public func build(inputShape shape: [Int?]) throws {
        if inputLayer == nil { inputLayer = InputLayer(batchShape: shape) }
        try rebuildGraph()
    }

    public var inputBatchShape: [Int?]? { inputLayer?.batchShape }

    private func rebuildGraph() throws {
        guard let inputLayer else { return }
        let start = inputLayer.symbolicInput
        var x = start
        for layer in stack {
            // A layer already called by this model keeps its node; Keras builds each layer once.
            if let existing = layer.inboundNodes.first(where: { $0.inputs.first === x }) {
                x = existing.outputs[0]
            } else {
                x = try layer(x)
            }
            layer.prefixWeightPaths(with: name)
        }
        try replaceGraph(inputs: [start], outputs: [x])
    }

    /// Before its input shape is known, the stack's shape follows from its layers' rules.
    public override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        if isFunctional { return try super.outputShape(for: inputShapes) }
        return try stack.reduce(inputShapes[0]) { shape, layer in try layer.checkInputs([shape]) }
    }

    /// Building for a symbolic call builds the stack's layers too.
    public override func build(inputShapes: [[Int]]) {
        if !isFunctional, let shape = inputShapes.first {
            try? build(inputShape: [nil] + shape.dropFirst().map { $0 })
        }
    }

    public override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        if !isFunctional {
            // First call without a declared input: build from the data, as Keras does.
            try? build(inputShape: [nil] + inputs[0].shape.dropFirst().map { $0 })
        }
        return super.call(inputs, training: training)
    }
}
