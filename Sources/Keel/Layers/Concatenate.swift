/// Keras's `Concatenate`: joins its inputs along `axis`; the other dimensions must agree.
open class Concatenate: Layer {
    open override class var kerasClassName: String { "Concatenate" }

    public let axis: Int

    public init(axis: Int = -1, name: String? = nil, trainable: Bool = true) {
        self.axis = axis
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Concatenate")
        let base = try reader.layerBase()
        self.init(axis: try reader.int("axis", default: -1), name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func build(inputShapes: [[Int]]) {
        precondition(inputShapes.count >= 2, "Concatenate '\(name)': expected at least 2 inputs, got \(inputShapes.count)")
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        Tensor.concatenate(inputs, axis: axis)
    }

    open override var config: JSONObject {
        var object = super.config
        object["axis"] = .int(axis)
        return object
    }
}
