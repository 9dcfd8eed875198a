/// Keras's `ELU` layer: x where x > 0, else alpha·(exp(x) − 1).
@Component(.layer)
open class ELU: Layer {
    open override class var kerasClassName: String { "ELU" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("alpha") public var alpha = 1.0

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input.elu(alpha: Float(alpha)) }

    /// Keras builds this config from the constructor's arguments (`name`, `alpha` and an
    /// `activity_regularizer` given to it) before the base's `trainable` and `dtype`.
    open override var config: JSONObject {
        let base = super.config
        var config: JSONObject = ["name": .string(name), "alpha": base["alpha"] ?? .double(alpha)]
        if let regularizer = base["activity_regularizer"] { config["activity_regularizer"] = regularizer }
        config["trainable"] = .bool(trainable)
        config["dtype"] = base["dtype"]
        return config
    }
}
