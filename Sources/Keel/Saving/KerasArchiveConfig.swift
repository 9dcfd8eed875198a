import Foundation

/// The `config.json` of a `.keras` archive: the model config as `serialize_keras_object` writes
/// it (keras-spec §2.2). It is the legacy `model_config` with, on the model and every layer,
/// `module` and `registered_name` around the config and the `build_config` Keras rebuilds
/// layers from, plus the model's `compile_config`.
enum KerasArchiveConfig {
    static func config(of model: Model) throws -> JSONValue {
        let legacy = try ArchitectureConfig.json(of: model)
        guard let object = legacy.objectValue, let className = object["class_name"]?.stringValue,
              let inner = object["config"]?.objectValue else {
            throw KeelError("model '\(model.name)'", expected: "a model config with class_name and config",
                            found: legacy.summary)
        }
        let isSequential = className == "Sequential"
        var layersByName: [String: Layer] = [:]
        for layer in model.layers { layersByName[layer.name] = layer }
        var converted = JSONObject()
        for (key, value) in inner {
            if key == "layers", let entries = value.arrayValue {
                converted[key] = .array(entries.map { layerEntry($0, layers: layersByName) })
            } else {
                converted[key] = value
            }
        }
        var result = JSONObject()
        result["module"] = .string(isSequential ? "keras" : "keras.src.models.functional")
        result["class_name"] = .string(className)
        result["config"] = .object(converted)
        result["registered_name"] = isSequential ? .null : .string(className)
        let buildShape = (model as? Sequential)?.inputBatchShape
        result["build_config"] = ["input_shape": buildShape.map { JSONValue.from($0) } ?? .null]
        if let compileConfig = TrainingConfig.json(of: model, flavour: .kerasArchive) {
            result["compile_config"] = compileConfig
        }
        return .object(result)
    }

    /// One layer entry: `module` first, `registered_name` and `build_config` after the config,
    /// then the Functional-only `name` and `inbound_nodes` in their places.
    private static func layerEntry(_ entry: JSONValue, layers: [String: Layer]) -> JSONValue {
        guard let object = entry.objectValue, let className = object["class_name"] else { return entry }
        var result = JSONObject()
        result["module"] = "keras.layers"
        result["class_name"] = className
        result["config"] = object["config"] ?? .object(JSONObject())
        result["registered_name"] = .null
        let name = object["config"]?.objectValue?["name"]?.stringValue ?? object["name"]?.stringValue
        if className.stringValue != "InputLayer", let layer = name.flatMap({ layers[$0] }),
           let buildConfig = buildConfig(of: layer) {
            result["build_config"] = buildConfig
        }
        for (key, value) in object where result[key] == nil { result[key] = value }
        return .object(result)
    }

    /// The shape(s) the layer was first called on, batch dimension unknown: one shape for a
    /// single input, a list of shapes for several (Concatenate, Add), or one per named argument
    /// for positional inputs (MultiHeadAttention's `{"shapes_dict": {"query_shape": ...}}`).
    private static func buildConfig(of layer: Layer) -> JSONValue? {
        guard let inputs = layer.inboundNodes.first?.inputs, !inputs.isEmpty else { return nil }
        let shapes = inputs.map { JSONValue.from($0.shape) }
        if let names = layer.positionalInputNames, names.count >= shapes.count {
            var byName = JSONObject()
            for (name, shape) in zip(names, shapes) { byName["\(name)_shape"] = shape }
            return ["shapes_dict": .object(byName)]
        }
        return ["input_shape": shapes.count == 1 ? shapes[0] : .array(shapes)]
    }

    /// `metadata.json`, which Keras writes and does not read back.
    static func metadata(savedAt date: Date = Date()) -> JSONValue {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        return ["keras_version": .string(KerasFileIdentity.kerasVersion), "date_saved": .string(formatter.string(from: date))]
    }
}
