/// Keras's activation functions by name (`keras.activations`), with Keras's defaults
/// (e.g. `leaky_relu` slope 0.2, softmax over the last axis).
enum BuiltInActivations {
    static func register(_ registry: Registry<Activation>) throws {
        let functions: [(String, (Tensor) -> Tensor)] = [
            ("linear", { $0 }),
            ("relu", { $0.relu() }),
            ("relu6", { $0.relu6() }),
            ("leaky_relu", { $0.leakyRelu(negativeSlope: 0.2) }),
            ("elu", { $0.elu() }),
            ("selu", { $0.selu() }),
            ("celu", { $0.celu() }),
            ("gelu", { $0.gelu(approximate: false) }),
            ("sigmoid", { $0.sigmoid() }),
            ("hard_sigmoid", { $0.hardSigmoid() }),
            ("hard_silu", { $0.hardSilu() }),
            ("hard_tanh", { $0.hardTanh() }),
            ("log_sigmoid", { $0.logSigmoid() }),
            ("mish", { $0.mish() }),
            ("silu", { $0.silu() }),
            ("softplus", { $0.softplus() }),
            ("softsign", { $0.softsign() }),
            ("tanh", { $0.tanh() }),
            ("exponential", { $0.exp() }),
            ("softmax", { $0.softmax(axis: -1) }),
            ("log_softmax", { $0.logSoftmax(axis: -1) }),
            ("sparsemax", { $0.sparsemax(axis: -1) }),
            ("hard_shrink", { $0.hardShrink(threshold: 0.5) }),
            ("soft_shrink", { $0.softShrink(threshold: 0.5) }),
            ("tanh_shrink", { $0.tanhShrink() }),
            ("squareplus", { $0.squareplus(b: 4) }),
            ("sparse_plus", { $0.sparsePlus() }),
            ("sparse_sigmoid", { $0.sparseSigmoid() }),
        ]
        // Keras writes the canonical name into configs: "swish" is saved as "silu".
        let aliases = ["silu": ["swish"], "hard_silu": ["hard_swish"]]
        for (name, function) in functions {
            let activation = Activation(name: name, apply: function)
            try registry.register(name, aliases: aliases[name] ?? []) { _ in activation }
        }
        let glu = Activation.glu
        try registry.register("glu") { _ in glu }
        // Keras's `threshold(x, threshold, default_value)` has no defaults, so the bare name (an
        // `Activation("threshold")` layer) cannot be called in Keras either; Keel reads the two
        // arguments from the config that `Activation.threshold(_:defaultValue:)` writes.
        try registry.register("threshold") { config in
            let reader = ConfigReader(config, owner: "activation 'threshold'")
            try Hyperparameters.rejectUnknown(config, known: ["threshold", "default_value"], owner: reader.owner)
            guard reader.has("threshold") && reader.has("default_value") else {
                throw KeelError("activation 'threshold'",
                                expected: "its arguments 'threshold' and 'default_value' (Keras's threshold(x, threshold, "
                                    + "default_value) has no defaults; in Swift use Activation.threshold(_:defaultValue:))",
                                found: config.isEmpty ? "the bare name" : "fields \(Array(config.keys))")
            }
            return .threshold(try reader.double("threshold"), defaultValue: try reader.double("default_value"))
        }
    }
}

extension Activation {
    /// GLU over the last axis, which must have an even size: the output has half of it.
    public static let glu = Activation(
        name: "glu",
        shapeRule: ShapeRule(requirement: "a last axis of even size (GLU splits it in two)") { shape in
            guard let last = shape.last else { return nil }
            // An unknown size stays unknown; the call checks the one it meets.
            guard let size = last else { return shape }
            return size % 2 == 0 ? Array(shape.dropLast()) + [size / 2] : nil
        },
        apply: { $0.glu(axis: -1) })

    /// Keras's `threshold(x, threshold, default_value)`: x where x > `threshold`, else
    /// `defaultValue`. The arguments go into the config of a layer that holds it, as
    /// `{"class_name": "threshold", "config": {"threshold", "default_value"}}`.
    public static func threshold(_ threshold: Double, defaultValue: Double) -> Activation {
        Activation(name: "threshold", arguments: ["threshold": .double(threshold), "default_value": .double(defaultValue)],
                   apply: { $0.threshold(Float(threshold), defaultValue: Float(defaultValue)) })
    }
}
