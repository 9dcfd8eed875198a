/// What GlobalMaxPooling2D and GlobalAveragePooling2D share: one value per channel over all
/// spatial positions, optionally keeping the spatial axes with size 1 (`keepdims`).
open class GlobalPooling2D: Layer {
    public let dataFormat: DataFormat
    public let keepDims: Bool

    public init(dataFormat: DataFormat = .channelsLast, keepDims: Bool = false, name: String? = nil, trainable: Bool = true) {
        self.dataFormat = dataFormat
        self.keepDims = keepDims
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, Self.kerasClassName)
        let base = try reader.layerBase()
        self.init(dataFormat: try reader.dataFormat(), keepDims: try reader.bool("keepdims", default: false),
                  name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    /// The reduction over `axes`.
    open func reduce(_ x: Tensor, axes: [Int]) -> Tensor {
        preconditionFailure("\(type(of: self)) must override reduce(_:axes:)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4, "\(Self.kerasClassName) '\(name)': expected a 4-D input, got shape \(input.shape)")
        return reduce(input, axes: dataFormat.spatialAxes(rank: 4))
    }

    open override var config: JSONObject {
        var object = super.config
        object["data_format"] = .string(dataFormat.rawValue)
        object["keepdims"] = .bool(keepDims)
        return object
    }
}
