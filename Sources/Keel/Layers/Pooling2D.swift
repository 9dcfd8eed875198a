/// What MaxPooling2D and AveragePooling2D share: window, strides (defaulting to the window),
/// padding, data format, and their config. Each subclass supplies the pooling op.
open class Pooling2D: Layer {
    public let poolSize: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding
    public let dataFormat: DataFormat

    public init(poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid,
                dataFormat: DataFormat = .channelsLast, name: String? = nil, trainable: Bool = true) {
        let strides = strides ?? poolSize
        precondition(poolSize.0 > 0 && poolSize.1 > 0 && strides.0 > 0 && strides.1 > 0,
                     "\(Self.kerasClassName): pool size \(poolSize) and strides \(strides) must be positive")
        self.poolSize = poolSize
        self.strides = strides
        self.padding = padding
        self.dataFormat = dataFormat
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, Self.kerasClassName)
        let base = try reader.layerBase()
        let poolSize = try reader.pair("pool_size", default: (2, 2))
        let strides = try reader.optionalPair("strides") ?? poolSize
        for (key, value) in [("pool_size", poolSize), ("strides", strides)] where value.0 <= 0 || value.1 <= 0 {
            throw KeelError("\(reader.owner): field '\(key)'", expected: "positive integers", found: "\(value)")
        }
        self.init(poolSize: poolSize, strides: strides, padding: try reader.padding(),
                  dataFormat: try reader.dataFormat(), name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    /// The pooling itself, on a channels-last input.
    open func pool(_ x: Tensor) -> Tensor {
        preconditionFailure("\(type(of: self)) must override pool(_:)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4, "\(Self.kerasClassName) '\(name)': expected a 4-D input, got shape \(input.shape)")
        return dataFormat.fromChannelsLast(pool(dataFormat.toChannelsLast(input)))
    }

    open override var config: JSONObject {
        var object = super.config
        object["pool_size"] = .pair(poolSize)
        object["padding"] = .string(padding.rawValue)
        object["strides"] = .pair(strides)
        object["data_format"] = .string(dataFormat.rawValue)
        return object
    }
}
