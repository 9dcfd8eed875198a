/// Keras's `LeakyReLU` layer: x where x > 0, else `negativeSlope`·x. Its default slope is 0.3
/// (the `leaky_relu` activation's is 0.2); configs written before Keras 3 call it `alpha`.
open class LeakyReLU: Layer {
    open override class var kerasClassName: String { "LeakyReLU" }

    public let negativeSlope: Double

    public init(negativeSlope: Double = 0.3, name: String? = nil, trainable: Bool = true) {
        precondition(negativeSlope >= 0, "LeakyReLU: negative slope must be ≥ 0, got \(negativeSlope)")
        self.negativeSlope = negativeSlope
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "LeakyReLU")
        let base = try reader.layerBase()
        let slope = try reader.optionalDouble("negative_slope") ?? reader.double("alpha", default: 0.3)
        guard slope >= 0 else {
            throw KeelError("\(reader.owner): field 'negative_slope'", expected: "a number ≥ 0", found: "\(slope)")
        }
        self.init(negativeSlope: slope, name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.leakyRelu(negativeSlope: Float(negativeSlope))
    }

    open override var config: JSONObject {
        var object = super.config
        object["negative_slope"] = .double(negativeSlope)
        return object
    }
}
