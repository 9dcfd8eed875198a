/// Models to and from Keras's `model_config` JSON: Sequential and Functional, with Keras 3's
/// node format (`{"args": [...], "kwargs": {}}`) and tf.keras 2's (`[["input_1", 0, 0, {}]]`).
public enum ModelConfig {
    /// Rebuilds a model (architecture only; weights are fresh) from `{"class_name", "config"}`.
    public static func model(from value: JSONValue) throws -> Model {
        guard let object = value.objectValue, let className = object["class_name"]?.stringValue else {
            throw KeelError("model config", expected: "an object with 'class_name'", found: value.summary)
        }
        let config = object["config"]?.objectValue ?? JSONObject()
        switch className {
        case "Sequential": return try sequential(from: config)
        case "Functional", "Model": return try functional(from: config)
        default:
            throw KeelError("model config: class_name", expected: "Sequential or Functional", found: className)
        }
    }

    static func sequential(from config: JSONObject) throws -> Sequential {
        try Sequential(config: config)
    }

    static func functional(from config: JSONObject) throws -> Model {
        let reader = ConfigReader(config, owner: "Functional config")
        guard let layerValues = config["layers"]?.arrayValue else {
            throw KeelError("Functional config: field 'layers'", expected: "a list of layers",
                            found: config["layers"]?.summary ?? "no such field")
        }
        var layersByName: [String: Layer] = [:]
        var pending: [(layer: Layer, nodes: [JSONValue])] = []
        let maskOnly = maskOnlyOperations(in: layerValues, inputs: config["input_layers"], outputs: config["output_layers"])
        for value in layerValues {
            guard let object = value.objectValue else {
                throw KeelError("Functional config: layer", expected: "an object", found: value.summary)
            }
            if let name = object["name"]?.stringValue, maskOnly.contains(name) { continue }
            let layer = try Registries.layers.make(from: value)
            if let name = object["name"]?.stringValue { layer.name = name }
            layersByName[layer.name] = layer
            pending.append((layer, object["inbound_nodes"]?.arrayValue ?? []))
        }
        // Create nodes in passes: a node waits until the nodes it reads from exist.
        var remaining = pending.flatMap { entry in entry.nodes.map { (entry.layer, $0) } }
        while !remaining.isEmpty {
            var next: [(Layer, JSONValue)] = []
            for (layer, node) in remaining {
                if let inputs = try resolveNodeInputs(node, layers: layersByName),
                   let (flags, tensorArguments) = try resolveNodeKeywords(node, of: layer, layers: layersByName, maskOnly: maskOnly) {
                    guard !inputs.isEmpty else {
                        throw KeelError("Functional config: inbound node of '\(layer.name)'", expected: "at least one input tensor",
                                        found: "none")
                    }
                    _ = try layer.callAll(inputs, arguments: flags, tensorArguments: tensorArguments)
                } else {
                    next.append((layer, node))
                }
            }
            guard next.count < remaining.count else {
                throw KeelError("Functional config", expected: "inbound nodes that refer to existing layer calls",
                                found: "unresolvable inputs of \(next.map { $0.0.name }.joined(separator: ", "))")
            }
            remaining = next
        }
        let inputs = try tensors(config["input_layers"], layers: layersByName, field: "input_layers")
        let outputs = try tensors(config["output_layers"], layers: layersByName, field: "output_layers")
        let model = try Model(inputs: inputs, outputs: outputs, name: try reader.optionalString("name"))
        model.trainable = try reader.bool("trainable", default: true)
        return model
    }

    /// The symbolic inputs of one serialized node, or nil when a producer has not been called yet.
    private static func resolveNodeInputs(_ node: JSONValue, layers: [String: Layer]) throws -> [SymbolicTensor]? {
        let histories = kerasHistories(node.objectValue.map { $0["args"] ?? .array([]) } ?? node)
        var result: [SymbolicTensor] = []
        for history in histories {
            guard history.count >= 3, let name = history[0].stringValue, let nodeIndex = history[1].intValue,
                  let tensorIndex = history[2].intValue, nodeIndex >= 0, tensorIndex >= 0 else {
                throw KeelError("Functional config: keras_history", expected: "[layer, node index, tensor index]",
                                found: JSONValue.array(history).summary)
            }
            guard let producer = layers[name] else {
                throw KeelError("Functional config: keras_history", expected: "a layer of the model", found: "'\(name)'")
            }
            guard nodeIndex < producer.inboundNodes.count else { return nil }
            let outputs = producer.inboundNodes[nodeIndex].outputs
            guard tensorIndex < outputs.count else {
                throw KeelError("Functional config: keras_history of '\(name)'", expected: "tensor index below \(outputs.count)",
                                found: "\(tensorIndex)")
            }
            result.append(outputs[tensorIndex])
        }
        return result
    }

    /// A Keras 3 node's `kwargs`: booleans become the call's flags, tensors its tensor arguments
    /// (an explicit `mask`, an `initial_state`); nil when a producer has not been called yet.
    /// Keras writes `training` and null entries for arguments left to their defaults (an LSTM's
    /// `"mask": null`): those say nothing.
    /// A mask argument made by recorded mask operations (`maskOnly`) is left out: Keel's own masks
    /// flow there.
    private static func resolveNodeKeywords(_ node: JSONValue, of layer: Layer, layers: [String: Layer],
                                            maskOnly: Set<String>) throws -> (CallArguments, [String: SymbolicArgument])? {
        guard let kwargs = node.objectValue?["kwargs"]?.objectValue else { return (.none, [:]) }
        var flags = CallArguments()
        var tensorArguments: [String: SymbolicArgument] = [:]
        for (name, value) in kwargs where name != "training" && !value.isNull {
            if let flag = value.boolValue {
                flags[name] = .bool(flag)
                continue
            }
            if isMaskArgument(name), let source = value.objectValue?["config"]?.objectValue?["keras_history"]?.arrayValue?.first?.stringValue,
               maskOnly.contains(source) {
                continue
            }
            guard let tensors = try resolveNodeInputs(.object(["args": value]), layers: layers) else { return nil }
            guard !tensors.isEmpty else {
                throw KeelError("Functional config: argument '\(name)' of '\(layer.name)'", expected: "a boolean or tensors",
                                found: value.summary)
            }
            tensorArguments[name] = value.arrayValue == nil ? .tensor(tensors[0]) : .tensors(tensors)
        }
        return (flags, tensorArguments)
    }

    /// Every tensor reference inside a node's arguments: Keras 3's `keras_history` of each
    /// `__keras_tensor__`, tf.keras 2's `[layer_name, node_index, tensor_index, kwargs]`.
    static func kerasHistories(_ value: JSONValue) -> [[JSONValue]] {
        var histories: [[JSONValue]] = []
        func collect(_ v: JSONValue) {
            switch v {
            case .object(let o):
                if o["class_name"]?.stringValue == "__keras_tensor__",
                   let history = o["config"]?.objectValue?["keras_history"]?.arrayValue {
                    histories.append(history)
                }
            case .array(let items):
                if items.count >= 3, items[0].stringValue != nil, items[1].intValue != nil {
                    histories.append(Array(items.prefix(3)))
                } else {
                    items.forEach(collect)
                }
            default: break
            }
        }
        collect(value)
        return histories
    }

    /// `[name, node, tensor]` or a list of them.
    private static func tensors(_ value: JSONValue?, layers: [String: Layer], field: String) throws -> [SymbolicTensor] {
        guard let items = value?.arrayValue else {
            throw KeelError("Functional config: field '\(field)'", expected: "a list of [layer, node, tensor]",
                            found: value?.summary ?? "no such field")
        }
        let entries = items.first?.stringValue != nil ? [items] : items.compactMap(\.arrayValue)
        return try entries.map { entry in
            guard entry.count >= 3, let name = entry[0].stringValue, let nodeIndex = entry[1].intValue,
                  let tensorIndex = entry[2].intValue, nodeIndex >= 0, tensorIndex >= 0, let layer = layers[name],
                  nodeIndex < layer.inboundNodes.count, tensorIndex < layer.inboundNodes[nodeIndex].outputs.count else {
                throw KeelError("Functional config: field '\(field)'", expected: "[layer, node, tensor] of an existing call",
                                found: JSONValue.array(entry).summary)
            }
            return layer.inboundNodes[nodeIndex].outputs[tensorIndex]
        }
    }

    // MARK: Writing

    /// Keras's `model_config` for a Functional or Sequential model.
    public static func config(of model: Model) -> JSONValue {
        if let sequential = model as? Sequential {
            var c = JSONObject()
            c["name"] = .string(sequential.name)
            c["trainable"] = .bool(sequential.trainable)
            c["dtype"] = Layer.dtypePolicyConfig
            var layers: [JSONValue] = []
            if let input = sequential.inputs.first?.layer {
                layers.append(["class_name": .string(InputLayer.kerasClassName), "config": .object(input.config)])
            }
            layers += sequential.layers.map { layerEntry($0, nodes: nil) }
            c["layers"] = .array(layers)
            if let shape = sequential.inputBatchShape { c["build_input_shape"] = .from(shape) }
            return ["class_name": "Sequential", "config": .object(c)]
        }
        var c = JSONObject()
        c["name"] = .string(model.name)
        c["trainable"] = .bool(model.trainable)
        let modelNodes = Set(model.graphNodes.map { ObjectIdentifier($0) })
        var layers: [JSONValue] = []
        for layer in model.layers {
            // An InputLayer's own node has no inputs; Keras lists no inbound nodes for it.
            let nodes = layer.inboundNodes.filter { modelNodes.contains(ObjectIdentifier($0)) && !$0.inputs.isEmpty }
            layers.append(layerEntry(layer, nodes: nodes))
        }
        c["layers"] = .array(layers)
        c["input_layers"] = historyList(model.inputs)
        c["output_layers"] = historyList(model.outputs)
        return ["class_name": "Functional", "config": .object(c)]
    }

    private static func layerEntry(_ layer: Layer, nodes: [Node]?) -> JSONValue {
        var entry = JSONObject()
        entry["class_name"] = .string(type(of: layer).kerasClassName)
        entry["config"] = .object(layer.config)
        if let nodes {
            entry["name"] = .string(layer.name)
            entry["inbound_nodes"] = .array(nodes.map { node in
                let tensors = node.inputs.map(kerasTensor)
                // Layers Keras calls with separate positional inputs (MultiHeadAttention's query,
                // value, key) are written so; merge layers and Attention take one list.
                let args: JSONValue = tensors.count == 1 || layer.positionalInputNames != nil ? .array(tensors) : .array([.array(tensors)])
                var kwargs = JSONObject()
                for name in node.flags.names { if let flag = node.flags.bool(name) { kwargs[name] = .bool(flag) } }
                for name in node.tensorArguments.keys.sorted() {
                    switch node.tensorArguments[name]! {
                    case .tensor(let t): kwargs[name] = kerasTensor(t)
                    case .tensors(let ts): kwargs[name] = .array(ts.map(kerasTensor))
                    }
                }
                return ["args": args, "kwargs": .object(kwargs)]
            })
        }
        return .object(entry)
    }

    private static func kerasTensor(_ tensor: SymbolicTensor) -> JSONValue {
        let history = tensor.history.map { JSONValue.array([.string($0.layer), .int($0.nodeIndex), .int($0.tensorIndex)]) } ?? .null
        return ["class_name": "__keras_tensor__",
                "config": ["shape": .from(tensor.shape), "dtype": .string(tensor.dtype.kerasName), "keras_history": history]]
    }

    private static func historyList(_ tensors: [SymbolicTensor]) -> JSONValue {
        let entries = tensors.map { t -> JSONValue in
            let h = t.history!
            return .array([.string(h.layer), .int(h.nodeIndex), .int(h.tensorIndex)])
        }
        return entries.count == 1 ? entries[0] : .array(entries)
    }
}
