/// Keras's `Flatten`: each sample becomes one vector. Channels-first inputs are put channels-last
/// first, so the order of values matches a channels-last model, as in Keras.
open class Flatten: Layer {
    open override class var kerasClassName: String { "Flatten" }

    public let dataFormat: DataFormat

    public init(dataFormat: DataFormat = .channelsLast, name: String? = nil, trainable: Bool = true) {
        self.dataFormat = dataFormat
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Flatten")
        let base = try reader.layerBase()
        self.init(dataFormat: try reader.dataFormat(), name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank >= 1, "Flatten '\(name)': expected a batch of samples, got a scalar")
        return dataFormat.toChannelsLast(input).reshaped([input.shape[0], input.shape.dropFirst().reduce(1, *)])
    }

    open override var config: JSONObject {
        var object = super.config
        object["data_format"] = .string(dataFormat.rawValue)
        return object
    }
}
