/// Keras's `keras.ops.not_equal` as it appears in a saved Functional model: Keras 3 records the
/// mask an Embedding with `mask_zero` computes as a `NotEqual` node (`not_equal(ids, 0)`) and
/// passes it to the next layer as its `mask` argument. Keel computes that mask itself as the
/// mask flows, but reads such a node so Keras's files load, and writes it back as Keras does.
/// The result is Keel's mask form: float32 1 where the input differs from the constant, else 0
/// (Keras's is boolean).
public final class NotEqual: Layer, KerasOperationLayer {
    public override class var kerasClassName: String { "NotEqual" }
    public static var kerasModule: String { "keras.src.ops.numpy" }

    /// The constant the input is compared with (Keras's second positional argument).
    public private(set) var constant: Double = 0

    public init(constant: Double = 0, name: String? = nil) {
        self.constant = constant
        super.init(name: name)
    }

    public required init(config: JSONObject) throws {
        try super.init(config: config)
    }

    public func setConstantArguments(_ values: [JSONValue]) throws {
        guard values.count == 1, let number = values[0].doubleValue else {
            throw KeelError("\(nameForMessages): positional arguments", expected: "one tensor and one number",
                            found: JSONValue.array(values).summary)
        }
        constant = number
    }

    public var constantArguments: [JSONValue] {
        constant == constant.rounded() && abs(constant) < 1e15 ? [.int(Int(constant))] : [.double(constant)]
    }

    /// Only `name`, as Keras's operation config.
    public override var config: JSONObject { ["name": .string(name)] }

    public override func call(_ input: Tensor, training: Bool) -> Tensor {
        input.cast(to: .float32).notEqual(Tensor(Float(constant)))
    }
}

/// A Keras operation (`keras.src.ops`) recorded as a node of a Functional model: saved with its
/// module, and with the numbers among its positional arguments (`not_equal(x, 0)`) after its
/// tensor inputs.
public protocol KerasOperationLayer: Layer {
    static var kerasModule: String { get }
    /// Takes the numbers a saved node lists after its tensors.
    func setConstantArguments(_ values: [JSONValue]) throws
    /// The numbers to write after the tensors.
    var constantArguments: [JSONValue] { get }
}
