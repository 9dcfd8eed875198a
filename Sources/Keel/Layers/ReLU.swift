/// Keras's `ReLU` layer: x above `threshold` (capped at `maxValue`), and
/// `negativeSlope`·(x − threshold) below it. Built from the same steps as Keras's `relu`, so
/// values and gradients agree with Keras at the boundaries too (e.g. exactly at the threshold).
open class ReLU: Layer {
    open override class var kerasClassName: String { "ReLU" }

    public let maxValue: Double?
    public let negativeSlope: Double
    public let threshold: Double

    public init(maxValue: Double? = nil, negativeSlope: Double = 0, threshold: Double = 0,
                name: String? = nil, trainable: Bool = true) {
        precondition((maxValue ?? 0) >= 0 && negativeSlope >= 0 && threshold >= 0,
                     "ReLU: max value, negative slope and threshold must be ≥ 0, got \(String(describing: maxValue)), \(negativeSlope), \(threshold)")
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "ReLU")
        let base = try reader.layerBase()
        let maxValue = try reader.optionalDouble("max_value")
        let slope = try reader.double("negative_slope", default: 0), threshold = try reader.double("threshold", default: 0)
        for (key, value) in [("max_value", maxValue ?? 0), ("negative_slope", slope), ("threshold", threshold)] where value < 0 {
            throw KeelError("\(reader.owner): field '\(key)'", expected: "a number ≥ 0", found: "\(value)")
        }
        self.init(maxValue: maxValue, negativeSlope: slope, threshold: threshold, name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override func call(_ x: Tensor, training: Bool) -> Tensor {
        let slope = Float(negativeSlope), cut = Float(threshold)
        if slope != 0 && maxValue == nil && cut == 0 { return x.leakyRelu(negativeSlope: slope) }
        let negativePart: Tensor? = slope == 0 ? nil : (cut != 0 ? cut - x : -x).relu()
        var capped = maxValue != nil
        var output: Tensor
        if cut != 0 {
            output = x * x.greater(Tensor(cut))
        } else if maxValue == 6 {
            output = x.relu6()
            capped = false
        } else {
            output = x.relu()
        }
        if capped, let maxValue { output = output.clipped(min: 0, max: Float(maxValue)) }
        if let negativePart { output = output - negativePart * slope }
        return output
    }

    open override var config: JSONObject {
        var object = super.config
        object["max_value"] = maxValue.map { .double($0) } ?? .null
        object["negative_slope"] = .double(negativeSlope)
        object["threshold"] = .double(threshold)
        return object
    }
}
