/// Keras 3 records the masks it computes while a Functional model is built as operation nodes of
/// the graph (`NotEqual` for Embedding's `mask_zero`, `LogicalOr`, `ExpandDims`, `ZerosLike`,
/// `Concatenate`, `Any` for the merge layers' masks, ...) and hands them to the layers that take
/// a mask as an explicit `mask` argument. Keel computes the same masks itself as they flow
/// through the graph (`Layer.outputMasks`), so a loaded model leaves those nodes out and lets its
/// own masks flow; an operation that carries data (a user's `x + y`, recorded as an `Add`
/// operation) stays, as does every layer the outputs depend on through data.
extension ModelConfig {
    /// The names of the entries whose outputs reach the model's outputs only through mask
    /// arguments: the recorded mask operations. (Legacy `.h5` configs do not say which entries are
    /// operations, and Keras names some like layers (`Concatenate`), so the graph decides.)
    static func maskOnlyOperations(in layerValues: [JSONValue], inputs: JSONValue?, outputs: JSONValue?) -> Set<String> {
        var dataSources: [String: Set<String>] = [:]
        for value in layerValues {
            guard let object = value.objectValue, let name = object["name"]?.stringValue
                    ?? object["config"]?.objectValue?["name"]?.stringValue else { continue }
            var sources: Set<String> = []
            for node in object["inbound_nodes"]?.arrayValue ?? [] {
                guard let nodeObject = node.objectValue else {
                    sources.formUnion(historyNames(node))
                    continue
                }
                sources.formUnion(historyNames(nodeObject["args"] ?? .null))
                for (key, argument) in nodeObject["kwargs"]?.objectValue ?? JSONObject() where !isMaskArgument(key) {
                    sources.formUnion(historyNames(argument))
                }
            }
            dataSources[name, default: []].formUnion(sources)
        }
        // Everything the outputs read as data, at any depth, stays, and so do the inputs.
        var kept = historyNames(inputs ?? .null)
        var pending = Array(historyNames(outputs ?? .null))
        while let name = pending.popLast() {
            guard kept.insert(name).inserted else { continue }
            pending += dataSources[name] ?? []
        }
        return Set(dataSources.keys).subtracting(kept)
    }

    /// `mask`, and MultiHeadAttention's `query_mask`, `value_mask`, `key_mask`.
    static func isMaskArgument(_ key: String) -> Bool { key == "mask" || key.hasSuffix("_mask") && key != "attention_mask" }

    private static func historyNames(_ value: JSONValue) -> Set<String> {
        Set(kerasHistories(value).compactMap { $0.first?.stringValue })
    }
}
