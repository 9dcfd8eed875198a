/// Keras's `L1`, `L2` and `L1L2` penalties: `l1·Σ|w|` and `l2·Σw²`. The single-norm classes
/// default to 0.01; `L1L2` defaults to 0 for both, as in Keras (so the string "l1_l2" adds nothing
/// until given factors).
public final class L1: Regularizer {
    public override class var kerasClassName: String { "L1" }
    public let l1: Double

    public init(l1: Double = 0.01) {
        precondition(l1 >= 0 && l1.isFinite, "L1: the factor must be a non-negative number, got \(l1)")
        self.l1 = l1
        super.init()
    }

    public convenience init(config: JSONObject) throws {
        self.init(l1: try RegularizerFactor.read("l1", default: 0.01, ConfigReader(config, owner: "L1 regularizer")))
    }

    public override func callAsFunction(_ weight: Tensor) -> Tensor { weight.abs().sum() * Float(l1) }
    public override var config: JSONObject { ["l1": .double(l1)] }
}

public final class L2: Regularizer {
    public override class var kerasClassName: String { "L2" }
    public let l2: Double

    public init(l2: Double = 0.01) {
        precondition(l2 >= 0 && l2.isFinite, "L2: the factor must be a non-negative number, got \(l2)")
        self.l2 = l2
        super.init()
    }

    public convenience init(config: JSONObject) throws {
        self.init(l2: try RegularizerFactor.read("l2", default: 0.01, ConfigReader(config, owner: "L2 regularizer")))
    }

    public override func callAsFunction(_ weight: Tensor) -> Tensor { weight.squared().sum() * Float(l2) }
    public override var config: JSONObject { ["l2": .double(l2)] }
}

public final class L1L2: Regularizer {
    public override class var kerasClassName: String { "L1L2" }
    public let l1: Double
    public let l2: Double

    public init(l1: Double = 0, l2: Double = 0) {
        precondition(l1 >= 0 && l1.isFinite && l2 >= 0 && l2.isFinite,
                     "L1L2: the factors must be non-negative numbers, got l1 \(l1), l2 \(l2)")
        self.l1 = l1
        self.l2 = l2
        super.init()
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "L1L2 regularizer")
        self.init(l1: try RegularizerFactor.read("l1", default: 0, reader),
                  l2: try RegularizerFactor.read("l2", default: 0, reader))
    }

    /// Only the terms with a nonzero factor are computed, as Keras does.
    public override func callAsFunction(_ weight: Tensor) -> Tensor {
        var penalty = Tensor(0)
        if l1 != 0 { penalty = penalty + weight.abs().sum() * Float(l1) }
        if l2 != 0 { penalty = penalty + weight.squared().sum() * Float(l2) }
        return penalty
    }

    public override var config: JSONObject { ["l1": .double(l1), "l2": .double(l2)] }
}

/// Reading a penalty factor: Keras accepts null for "use the default" and rejects negatives.
enum RegularizerFactor {
    static func read(_ key: String, default fallback: Double, _ reader: ConfigReader) throws -> Double {
        let value = try reader.double(key, default: fallback)
        guard value >= 0 && value.isFinite else {
            throw KeelError("\(reader.owner): field '\(key)'", expected: "a non-negative number", found: "\(value)")
        }
        return value
    }
}

extension Regularizer {
    /// `{"module": "keras.regularizers", "class_name", "config", "registered_name"}`, named by the
    /// object's own class (its dynamic type), as layers write their regularizers into configs.
    public func serialized() -> JSONValue {
        ["module": "keras.regularizers", "class_name": .string(type(of: self).kerasClassName),
         "config": .object(config), "registered_name": .null]
    }
}
