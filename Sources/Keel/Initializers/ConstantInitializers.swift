/// Initializers whose values do not depend on chance: Keras's `Zeros`, `Ones`, `Constant` and
/// `Identity`.
public final class Zeros: Initializer {
    public override class var kerasClassName: String { "Zeros" }
    public override init() { super.init() }
    public convenience init(config: JSONObject) throws { self.init() }
    public override func callAsFunction(_ shape: [Int]) -> Tensor { .zeros(shape) }
}

public final class Ones: Initializer {
    public override class var kerasClassName: String { "Ones" }
    public override init() { super.init() }
    public convenience init(config: JSONObject) throws { self.init() }
    public override func callAsFunction(_ shape: [Int]) -> Tensor { .ones(shape) }
}

public final class Constant: Initializer {
    public override class var kerasClassName: String { "Constant" }
    public let value: Double

    public init(value: Double = 0) {
        self.value = value
        super.init()
    }

    public convenience init(config: JSONObject) throws {
        self.init(value: try ConfigReader(config, owner: "Constant initializer").double("value", default: 0))
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor { Tensor(repeating: Float(value), shape: shape) }
    public override var config: JSONObject { ["value": .double(value)] }
}

/// `gain` times the identity matrix; rectangular shapes get ones on the main diagonal, as
/// Keras's `ops.eye(rows, columns)`. Only 2-D shapes have an identity.
public final class Identity: Initializer {
    public override class var kerasClassName: String { "Identity" }
    public let gain: Double

    public init(gain: Double = 1) {
        self.gain = gain
        super.init()
    }

    public convenience init(config: JSONObject) throws {
        self.init(gain: try ConfigReader(config, owner: "Identity initializer").double("gain", default: 1))
    }

    public override func callAsFunction(_ shape: [Int]) -> Tensor {
        precondition(shape.count == 2, "Identity initializer: only 2-D shapes have an identity, got shape \(shape)")
        var values = [Float](repeating: 0, count: shape[0] * shape[1])
        for i in 0..<min(shape[0], shape[1]) { values[i * shape[1] + i] = Float(gain) }
        return Tensor(shape: shape, scalars: values)
    }

    public override var config: JSONObject { ["gain": .double(gain)] }
}
