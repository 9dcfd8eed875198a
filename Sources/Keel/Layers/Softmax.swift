/// Keras's `Softmax` layer: softmax along `axes` (one axis, or several normalized together).
open class Softmax: Layer {
    open override class var kerasClassName: String { "Softmax" }

    public let axes: [Int]
    /// Keras writes the axis back in the form it was given: an integer or a list.
    private let axesGivenAsList: Bool

    public init(axis: Int = -1, name: String? = nil, trainable: Bool = true) {
        self.axes = [axis]
        self.axesGivenAsList = false
        super.init(name: name, trainable: trainable)
    }

    /// Several axes normalized together, as Keras's `Softmax(axis=(1, 2))`.
    public init(axes: [Int], name: String? = nil, trainable: Bool = true) {
        precondition(!axes.isEmpty, "Softmax: at least one axis is needed")
        self.axes = axes
        self.axesGivenAsList = true
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Softmax")
        let base = try reader.layerBase()
        if let axis = reader.value("axis"), axis.arrayValue != nil {
            self.init(axes: try reader.ints("axis"), name: base.name, trainable: base.trainable)
        } else {
            self.init(axis: try reader.int("axis", default: -1), name: base.name, trainable: base.trainable)
        }
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        if axes.count == 1 { return input.softmax(axis: axes[0]) }
        return (input - input.logSumExp(axes: axes, keepDims: true)).exp()
    }

    open override var config: JSONObject {
        var object = super.config
        object["axis"] = axesGivenAsList ? .from(axes) : .int(axes[0])
        return object
    }
}
