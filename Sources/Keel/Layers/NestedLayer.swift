/// A layer held in another's config, as Keras's `serialize_keras_object` writes it: an RNN's
/// `cell`, StackedRNNCells's `cells`, Bidirectional's `layer` and `backward_layer`, TimeDistributed's `layer`. Built layers
/// carry a `build_config` with the input shape they were built for; one read from a config keeps
/// the `build_config` it came with, so the config reads back as it was written.
public struct NestedLayer<Kind: Layer>: ConfigRepresentable {
    public let layer: Kind
    private let givenBuildConfig: JSONValue?

    public init(_ layer: Kind) {
        self.layer = layer
        givenBuildConfig = nil
    }

    public init(configValue: JSONValue) throws {
        let made: Layer
        do {
            made = try Registries.layers.make(from: configValue)
        } catch let error as KeelError {
            throw ConfigMismatch("a serialized \(Kind.kerasClassName) (\(error))")
        }
        guard let layer = made as? Kind else {
            throw ConfigMismatch("a serialized \(Kind.kerasClassName), not \(type(of: made).kerasClassName)")
        }
        self.layer = layer
        givenBuildConfig = configValue.objectValue?["build_config"]
    }

    public var configValue: JSONValue {
        guard case .object(var object) = layer.serialized(module: "keras.layers") else { return .null }
        if let givenBuildConfig {
            object["build_config"] = givenBuildConfig
        } else if layer.isBuilt, let shape = layer.builtInputShapes.first {
            // Keel builds for a concrete batch; a built model's batch size is not part of the layer.
            let unknownBatch: [Int?] = [nil] + shape.dropFirst().map { $0 }
            object["build_config"] = ["input_shape": JSONValue.from(unknownBatch)]
        }
        return .object(object)
    }

    public var deferredProblem: String? { nil }
}
