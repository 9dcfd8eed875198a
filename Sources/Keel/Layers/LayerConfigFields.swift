/// The config fields built-in layers share (initializers, regularizers, constraints, activations,
/// spatial pairs, padding, data format), read and written the way Keras writes them, so each
/// layer's `init(config:)` and `config` stay short and consistent.
extension ConfigReader {
    /// A reader whose errors name the layer: "Dense layer 'dense_1': field 'units' ...".
    static func layer(_ config: JSONObject, _ className: String) -> ConfigReader {
        let name = config["name"]?.stringValue.map { " '\($0)'" } ?? ""
        return ConfigReader(config, owner: "\(className) layer\(name)")
    }

    /// The fields every layer has: `name`, `trainable` and `activity_regularizer`.
    func layerBase() throws -> (name: String?, trainable: Bool, activityRegularizer: Regularizer?) {
        (try optionalString("name"), try bool("trainable", default: true), try regularizer("activity_regularizer"))
    }

    /// An initializer given by name or as a serialized object; absent or null means the layer's default.
    func initializer(_ key: String, default fallback: @autoclosure () -> Initializer) throws -> Initializer {
        try Initializer.from(value(key)) ?? fallback()
    }

    func regularizer(_ key: String) throws -> Regularizer? {
        try Regularizer.from(value(key))
    }

    /// Keel has no weight constraints; a config that asks for one is refused rather than
    /// silently trained without it.
    func requireNoConstraint(_ key: String) throws {
        if let constraint = value(key) {
            throw KeelError("\(owner): field '\(key)'", expected: "null (Keel has no weight constraints)",
                            found: constraint.summary)
        }
    }

    /// Absent or null means linear, as in Keras.
    func activation(_ key: String = "activation") throws -> Activation {
        try Activation.from(value(key))
    }

    /// Two integers, from a list or from one integer used for both (Keras accepts `kernel_size=3`).
    func pair(_ key: String, default fallback: (Int, Int)? = nil) throws -> (Int, Int) {
        let values = try ints(key, count: 2, default: fallback.map { [$0.0, $0.1] })
        return (values[0], values[1])
    }

    func optionalPair(_ key: String) throws -> (Int, Int)? {
        value(key) == nil ? nil : try pair(key)
    }

    /// "valid" or "same", in any letter case.
    func padding() throws -> Padding {
        Padding(rawValue: try choice("padding", ["valid", "same"], default: "valid"))!
    }

    func dataFormat() throws -> DataFormat {
        DataFormat(rawValue: try choice("data_format", DataFormat.allCases.map(\.rawValue), default: "channels_last"))!
    }

    /// A field that must be false or absent because Keel does not implement what it switches on.
    func requireFalse(_ key: String, because reason: String) throws {
        if try bool(key, default: false) {
            throw KeelError("\(owner): field '\(key)'", expected: "false (\(reason))", found: "true")
        }
    }
}

extension JSONValue {
    static func pair(_ pair: (Int, Int)) -> JSONValue { [.int(pair.0), .int(pair.1)] }
    static func optionalPair(_ pair: (Int, Int)?) -> JSONValue { pair.map { .pair($0) } ?? .null }
    static func serialized(_ regularizer: Regularizer?) -> JSONValue { regularizer?.serialized() ?? .null }
}

/// Names an activation in a Swift initializer (`Dense(units: 8, activation: "relu")`). An
/// unknown name there is a mistake in the program, not in outside data, so it stops with the
/// registry's "closest names" message.
enum LayerActivations {
    static func named(_ name: String) -> Activation {
        do {
            return try Registries.activations.make(name)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
