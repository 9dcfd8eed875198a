/// Keras's `Embedding`: maps integer ids in [0, inputDim) to rows of an (inputDim, outputDim)
/// table. Float inputs holding ids are accepted and truncated to integers, as Keras casts them.
/// With `maskZero` the output mask is ids ≠ 0 (id 0 is padding), as Keras's `compute_mask`.
@Component(.layer)
open class Embedding: Layer {
    open override class var kerasClassName: String { "Embedding" }

    @Hyper("input_dim", .inRange(1...(1 << 26))) public var inputDim: Int
    @Hyper("output_dim", .inRange(1...(1 << 16))) public var outputDim: Int
    @Hyper("embeddings_initializer") public var embeddingsInitializer: Initializer = RandomUniform()
    @Hyper("embeddings_regularizer") public var embeddingsRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("embeddings_constraint") public var embeddingsConstraint: Constraint? = nil
    @Hyper("mask_zero") public var maskZero = false
    @Hyper("quantization_config", .mustBeNull("Keel does not quantize")) public var quantizationConfig: JSONValue? = nil
    public private(set) var embeddings: Variable!

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...8)
        try checkWeightFits([inputDim, outputDim], weight: "embeddings matrix", shapes: inputShapes)
        try checkConstraintFits(embeddingsConstraint, weightShape: [inputDim, outputDim], weight: "embeddings matrix",
                                shapes: inputShapes)
        return shape + [outputDim]
    }

    open override func build(inputShape: [Int]) {
        embeddings = addWeight(name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
                               regularizer: embeddingsRegularizer, constraint: embeddingsConstraint)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let ids = input.dtype == .int32 ? input : input.cast(to: .int32)
        return embeddings.value.gathering(ids, axis: 0)
    }

    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        let mask = maskZero ? inputs[0].cast(to: .float32).notEqual(Tensor(0)) : nil
        return [mask] + Array(repeating: nil, count: max(outputCount - 1, 0))
    }
}
