/// Keras's `Add`: the elementwise sum of its inputs (broadcasting as NumPy does).
open class Add: Layer {
    open override class var kerasClassName: String { "Add" }

    public convenience init(config: JSONObject) throws {
        let base = try ConfigReader.layer(config, "Add").layerBase()
        self.init(name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func build(inputShapes: [[Int]]) {
        precondition(inputShapes.count >= 2, "Add '\(name)': expected at least 2 inputs, got \(inputShapes.count)")
    }

    open override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +)
    }
}
