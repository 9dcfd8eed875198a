/// Keras's `Reshape`: each sample takes `targetShape` (the batch dimension is kept); one entry
/// may be -1, inferred from the others.
open class Reshape: Layer {
    open override class var kerasClassName: String { "Reshape" }

    public let targetShape: [Int]

    public init(targetShape: [Int], name: String? = nil, trainable: Bool = true) {
        precondition(targetShape.filter { $0 == -1 }.count <= 1 && targetShape.allSatisfy { $0 > 0 || $0 == -1 },
                     "Reshape: target shape \(targetShape) must hold positive sizes and at most one -1")
        self.targetShape = targetShape
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Reshape")
        let base = try reader.layerBase()
        let targetShape = try reader.ints("target_shape")
        guard targetShape.filter({ $0 == -1 }).count <= 1 && targetShape.allSatisfy({ $0 > 0 || $0 == -1 }) else {
            throw KeelError("\(reader.owner): field 'target_shape'", expected: "positive sizes and at most one -1",
                            found: "\(targetShape)")
        }
        self.init(targetShape: targetShape, name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.reshaped([input.shape[0]] + targetShape)
    }

    open override var config: JSONObject {
        var object = super.config
        object["target_shape"] = .from(targetShape)
        return object
    }
}
