/// Keras's `Embedding`: maps integer ids in [0, inputDim) to rows of an (inputDim, outputDim)
/// table. Float inputs holding ids are accepted and truncated to integers, as Keras casts them.
/// `maskZero` is kept in the config; Keel does not propagate masks.
open class Embedding: Layer {
    open override class var kerasClassName: String { "Embedding" }

    public let inputDim: Int
    public let outputDim: Int
    public let embeddingsInitializer: Initializer
    public let embeddingsRegularizer: Regularizer?
    public let maskZero: Bool
    public private(set) var embeddings: Variable!

    public init(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = RandomUniform(),
                embeddingsRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil, maskZero: Bool = false,
                name: String? = nil, trainable: Bool = true) {
        precondition(inputDim > 0 && outputDim > 0,
                     "Embedding: input and output dimensions must be positive, got \(inputDim) and \(outputDim)")
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.embeddingsInitializer = embeddingsInitializer
        self.embeddingsRegularizer = embeddingsRegularizer
        self.maskZero = maskZero
        super.init(name: name, trainable: trainable)
        self.activityRegularizer = activityRegularizer
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Embedding")
        let base = try reader.layerBase()
        let inputDim = try reader.positiveInt("input_dim", maximum: 1 << 26), outputDim = try reader.positiveInt("output_dim", maximum: 1 << 16)
        guard inputDim > 0, outputDim > 0 else {
            throw KeelError("\(reader.owner): fields 'input_dim' and 'output_dim'", expected: "positive integers",
                            found: "\(inputDim) and \(outputDim)")
        }
        try reader.requireNoConstraint("embeddings_constraint")
        if let quantization = reader.value("quantization_config") {
            throw KeelError("\(reader.owner): field 'quantization_config'", expected: "null (Keel does not quantize)",
                            found: quantization.summary)
        }
        self.init(inputDim: inputDim, outputDim: outputDim,
                  embeddingsInitializer: try reader.initializer("embeddings_initializer", default: RandomUniform()),
                  embeddingsRegularizer: try reader.regularizer("embeddings_regularizer"),
                  activityRegularizer: base.activityRegularizer, maskZero: try reader.bool("mask_zero", default: false),
                  name: base.name, trainable: base.trainable)
    }

    open override func build(inputShape: [Int]) {
        embeddings = addWeight(name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
                               regularizer: embeddingsRegularizer)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let ids = input.dtype == .int32 ? input : input.cast(to: .int32)
        return embeddings.value.gathering(ids, axis: 0)
    }

    open override var config: JSONObject {
        var object = super.config
        object["input_dim"] = .int(inputDim)
        object["output_dim"] = .int(outputDim)
        object["embeddings_initializer"] = embeddingsInitializer.serialized()
        object["embeddings_regularizer"] = .serialized(embeddingsRegularizer)
        object["activity_regularizer"] = .serialized(activityRegularizer)
        object["embeddings_constraint"] = .null
        object["mask_zero"] = .bool(maskZero)
        object["quantization_config"] = .null
        return object
    }
}
