/// The layer calls between a Functional model's inputs and outputs, in an order where every node
/// comes after the nodes that feed it.
struct FunctionalGraph {
    let inputs: [SymbolicTensor]
    let outputs: [SymbolicTensor]
    /// Nodes in execution order (input layers' nodes first).
    let nodes: [Node]
    /// Layers in Keras's `model.layers` order: first appearance in execution order.
    let layers: [Layer]

    init(inputs: [SymbolicTensor], outputs: [SymbolicTensor]) throws {
        self.inputs = inputs
        self.outputs = outputs
        let inputIDs = Set(inputs.map { ObjectIdentifier($0) })
        var ordered: [Node] = []
        var visited = Set<ObjectIdentifier>()
        var onPath = Set<ObjectIdentifier>()
        func visit(_ tensor: SymbolicTensor) throws {
            guard let node = tensor.node else {
                throw KeelError("Functional model", expected: "tensors produced by layer calls",
                                found: "a tensor with no producing layer")
            }
            let id = ObjectIdentifier(node)
            if visited.contains(id) { return }
            guard !onPath.contains(id) else {
                throw KeelError("Functional model", expected: "an acyclic graph", found: "a cycle through '\(node.layer.name)'")
            }
            onPath.insert(id)
            if !inputIDs.contains(ObjectIdentifier(tensor)) {
                if node.inputs.isEmpty {
                    throw KeelError("Functional model", expected: "outputs reachable from the model's inputs",
                                    found: "input '\(node.layer.name)' that is not among the model's inputs")
                }
                for input in node.dependencies { try visit(input) }
            }
            onPath.remove(id)
            visited.insert(id)
            ordered.append(node)
        }
        for input in inputs { try visit(input) }
        for output in outputs { try visit(output) }
        nodes = ordered
        var seen = Set<ObjectIdentifier>()
        layers = ordered.map(\.layer).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// The outputs' shapes for inputs of these shapes, inferred node by node as the layers state
    /// them (a KeelError naming the first layer whose inputs do not fit).
    func outputShapes(for inputShapes: [[Int?]]) throws -> [[Int?]] {
        var shapes: [ObjectIdentifier: [Int?]] = [:]
        for (symbol, shape) in zip(inputs, inputShapes) { shapes[ObjectIdentifier(symbol)] = shape }
        for node in nodes where !(node.layer is InputLayer) {
            let nodeShapes = try node.layer.checkInputs(node.inputs.map { shapes[ObjectIdentifier($0)]! }, arguments: node.flags)
            guard nodeShapes.count == node.outputs.count else {
                throw node.layer.invalidInput(expected: "\(node.outputs.count) outputs, as when the model was built",
                                              found: "\(nodeShapes.count) outputs")
            }
            for (output, shape) in zip(node.outputs, nodeShapes) { shapes[ObjectIdentifier(output)] = shape }
        }
        return outputs.map { shapes[ObjectIdentifier($0)]! }
    }

    /// Runs the graph on concrete inputs (one per model input, in order): every output, and the
    /// mask each carries (nil for none). Masks start at the layers that make them (Embedding with
    /// `mask_zero`, Masking) and reach the layers that use them as Keras passes them: each
    /// call's inputs' masks become its mask arguments (`maskArguments`), unless the call names an
    /// explicit one.
    func run(_ values: [Tensor], training: Bool, losses: inout [Tensor]) -> (outputs: [Tensor], masks: [Tensor?]) {
        var computed: [ObjectIdentifier: Tensor] = [:]
        var masks: [ObjectIdentifier: Tensor] = [:]
        for (symbol, value) in zip(inputs, values) { computed[ObjectIdentifier(symbol)] = value }
        for node in nodes where !(node.layer is InputLayer) {
            let values = node.inputs.map { computed[ObjectIdentifier($0)]! }
            let inputMasks = node.inputs.map { masks[ObjectIdentifier($0)] }
            var arguments = node.layer.maskArguments(for: inputMasks)
            for name in node.flags.names { arguments[name] = node.flags[name] }
            for (name, argument) in node.tensorArguments {
                switch argument {
                case .tensor(let t): arguments[name] = .tensor(computed[ObjectIdentifier(t)]!)
                case .tensors(let ts): arguments[name] = .tensors(ts.map { computed[ObjectIdentifier($0)]! })
                }
            }
            let results = node.layer.callAll(values, arguments: arguments, training: training)
            opCheck(results.count == node.outputs.count,
                    "\(node.layer.nameForMessages) returned \(results.count) tensors, \(node.outputs.count) when the model was built")
            losses += node.layer.callLosses
            let outputMasks = node.layer.outputMasks(for: values, masks: inputMasks, arguments: arguments, outputCount: results.count)
            for (index, output) in node.outputs.enumerated() {
                computed[ObjectIdentifier(output)] = results[index]
                if index < outputMasks.count, let mask = outputMasks[index] { masks[ObjectIdentifier(output)] = mask }
            }
        }
        return (outputs.map { computed[ObjectIdentifier($0)]! }, outputs.map { masks[ObjectIdentifier($0)] })
    }
}
