/// A layer held in another layer's config (TimeDistributed's `layer`), read and written as Keras's
/// `serialize_keras_object` writes it: `{"module", "class_name", "config", "registered_name"}`,
/// plus `build_config` with the shape it was built for once built. A config that carries a
/// `build_config` for a layer not built yet writes it back unchanged.
public struct WrappedLayer: ConfigRepresentable {
    public let layer: Layer
    private let givenBuildConfig: JSONValue?

    public init(_ layer: Layer) {
        self.layer = layer
        givenBuildConfig = nil
    }

    public init(configValue: JSONValue) throws {
        do {
            layer = try Registries.layers.make(from: configValue)
        } catch let error as KeelError {
            throw ConfigMismatch("a layer config (\(error.message))")
        }
        givenBuildConfig = configValue.objectValue?["build_config"]
    }

    public var configValue: JSONValue {
        var object: JSONObject = ["module": "keras.layers", "class_name": .string(type(of: layer).kerasClassName),
                                  "config": .object(layer.config), "registered_name": nil]
        if layer.isBuilt {
            let shapes = layer.builtInputShapes.map { JSONValue.from($0) }
            object["build_config"] = ["input_shape": shapes.count == 1 ? shapes[0] : .array(shapes)]
        } else if let givenBuildConfig {
            object["build_config"] = givenBuildConfig
        }
        return .object(object)
    }
}
