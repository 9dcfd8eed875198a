/// The entry of a Functional model (Keras's `InputLayer`): no weights and no computation; it
/// owns the symbolic input tensor that other layers are called on.
public final class InputLayer: Layer {
    public override class var kerasClassName: String { "InputLayer" }

    /// The full shape including the batch dimension (nil = unknown).
    public let batchShape: [Int?]
    public let inputDType: DType
    public let sparse: Bool
    public let optional: Bool

    public init(batchShape: [Int?], dtype: DType = .float32, name: String? = nil,
                sparse: Bool = false, optional: Bool = false) {
        self.batchShape = batchShape
        self.inputDType = dtype
        self.sparse = sparse
        self.optional = optional
        super.init(name: name, trainable: true)
        _ = Node(layer: self, inputs: [], outputShapes: [batchShape], dtype: dtype)
        buildIfNeeded(inputShapes: [batchShape.map { $0 ?? 1 }])
    }

    /// Keras 3's `batch_shape`, or tf.keras 2's `batch_input_shape`.
    public required convenience init(config: JSONObject) throws {
        let reader = ConfigReader(config, owner: "InputLayer config")
        let shape = try reader.optionalInts("batch_shape") ?? reader.optionalInts("batch_input_shape")
            ?? reader.optionalInts("shape").map { [nil] + $0 }
        guard let shape else {
            throw KeelError("InputLayer config: field 'batch_shape'", expected: "a list of integers or nulls",
                            found: "no such field")
        }
        for dimension in shape.compactMap({ $0 }) where dimension < 0 || dimension > 1 << 28 {
            throw KeelError("InputLayer config: field 'batch_shape'", expected: "dimensions from 0 to \(1 << 28) or null",
                            found: JSONValue.from(shape).summary)
        }
        let dtypeName = try reader.optionalString("dtype") ?? "float32"
        guard let dtype = DType.fromKeras(dtypeName) else {
            throw KeelError("InputLayer config: field 'dtype'", expected: "float32 or an integer type", found: dtypeName)
        }
        self.init(batchShape: shape, dtype: dtype, name: try reader.optionalString("name"),
                  sparse: try reader.bool("sparse", default: false), optional: try reader.bool("optional", default: false))
    }

    /// The symbolic tensor this layer makes (its node's output), which layers are called on.
    public var symbolicInput: SymbolicTensor { inboundNodes[0].outputs[0] }

    public override func call(_ input: Tensor, training: Bool) -> Tensor { input }

    public override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes.first ?? inputDType }

    public override var config: JSONObject {
        ["batch_shape": .from(batchShape), "dtype": .string(inputDType.kerasName), "sparse": .bool(sparse),
         "ragged": false, "name": .string(name), "optional": .bool(optional)]
    }
}

extension DType {
    /// Keras dtype names: int ids of any width load as int32, floats as float32.
    public static func fromKeras(_ name: String) -> DType? {
        switch name {
        case "float32", "float16", "float64", "bfloat16": return .float32
        case "int32", "int64", "int16", "int8", "uint8", "uint16", "uint32", "bool": return .int32
        default: return nil
        }
    }

    public var kerasName: String { self == .float32 ? "float32" : "int32" }
}
