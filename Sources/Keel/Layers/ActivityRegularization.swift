/// Keras's `ActivityRegularization`: passes its input through and adds
/// `l1·Σ|x| + l2·Σx²` (divided by the batch size, as every Keras 3 activity penalty is) to the
/// losses of the call.
open class ActivityRegularization: Layer {
    open override class var kerasClassName: String { "ActivityRegularization" }

    public let l1: Double
    public let l2: Double

    public init(l1: Double = 0, l2: Double = 0, name: String? = nil, trainable: Bool = true) {
        self.l1 = l1
        self.l2 = l2
        super.init(name: name, trainable: trainable)
        activityRegularizer = L1L2(l1: l1, l2: l2)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "ActivityRegularization")
        self.init(l1: try RegularizerFactor.read("l1", default: 0, reader), l2: try RegularizerFactor.read("l2", default: 0, reader),
                  name: try reader.optionalString("name"), trainable: try reader.bool("trainable", default: true))
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor { input }

    /// The factors replace the serialized regularizer, as in Keras.
    open override var config: JSONObject {
        var object = super.config
        object["activity_regularizer"] = nil
        object["l1"] = .double(l1)
        object["l2"] = .double(l2)
        return object
    }
}
