/// The config fields every Keras optimizer has, and the checks Keras's constructor makes on a
/// config: an unknown keyword is an error, a few legacy ones are accepted and ignored.
enum OptimizerConfigFields {
    static let base = ["name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
                       "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
                       "gradient_accumulation_steps"]
    /// Keras ignores `decay` (with a warning); tf.keras 2.11+ files also carry `jit_compile` and
    /// `is_legacy_optimizer`, which describe how TensorFlow ran the optimizer, not what it computes.
    static let ignoredLegacy = ["decay", "jit_compile", "is_legacy_optimizer"]

    /// Exponential moving averages of the weights and gradient accumulation change what `apply`
    /// does; Keel does not do them, so a config asking for them is refused rather than ignored.
    static func rejectUnsupported(_ reader: ConfigReader) throws {
        if try reader.bool("use_ema", default: false) {
            throw KeelError("\(reader.owner): field 'use_ema'", expected: "false (Keel keeps no weight averages)",
                            found: "true")
        }
        if let steps = try reader.optionalInt("gradient_accumulation_steps") {
            throw KeelError("\(reader.owner): field 'gradient_accumulation_steps'",
                            expected: "null (Keel applies every batch's gradients)", found: "\(steps)")
        }
    }
}
