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
        ]
        // Keras writes the canonical name into configs: "swish" is saved as "silu".
        let aliases = ["silu": ["swish"], "hard_silu": ["hard_swish"]]
        for (name, function) in functions {
            let activation = Activation(name: name, apply: function)
            try registry.register(name, aliases: aliases[name] ?? []) { _ in activation }
        }
    }
}
