/// Keras's `Activation` layer: applies an activation function by name. (The Swift name differs
/// because `Activation` is the function type itself.)
open class ActivationLayer: Layer {
    open override class var kerasClassName: String { "Activation" }

    public let activation: Activation

    public init(_ activation: Activation, name: String? = nil, trainable: Bool = true) {
        self.activation = activation
        super.init(name: name, trainable: trainable)
    }

    public convenience init(_ activation: String, name: String? = nil) {
        self.init(LayerActivations.named(activation), name: name)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Activation")
        let base = try reader.layerBase()
        guard reader.value("activation") != nil else {
            throw KeelError("\(reader.owner): field 'activation'", expected: "an activation name", found: "none")
        }
        self.init(try reader.activation(), name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { activation(input) }

    open override var config: JSONObject {
        var object = super.config
        object["activation"] = .string(activation.name)
        return object
    }
}
