import Foundation

/// Keras's `MultiHeadAttention`: the query, key and value are projected into `num_heads` heads
/// (EinsumDense layers `query`, `key`, `value`), each query position attends to the key positions
/// with softmax(q·k / sqrt(key_dim)) over `attention_axes`, the weighted values are projected
/// back (`attention_output`, to the query's last size or `output_shape`). Called on
/// [query, value] or [query, value, key] (Keras's positional arguments; the key defaults to the
/// value). Call arguments: `attention_mask` (batch, query steps, value steps), `value_mask`,
/// `key_mask`, `use_causal_mask`, `return_attention_scores` (a second output: the scores,
/// (batch, heads, query steps, value steps)).
///
/// Masks follow Keras 3.15.1 exactly, quirks included:
/// - The query's mask is the one attached to the query tensor (Keras's `call` overwrites its
///   `query_mask` argument with it), so an explicit `query_mask` argument changes nothing; the
///   mask a graph attaches to the query arrives through `maskArguments` under
///   `attachedQueryMaskArgument`, and is also the output's mask.
/// - A query step whose every key step is masked gets zero scores on Keras's explicit path
///   (scores returned, dropout set, or inputs of rank 4 and more) but uniform attention on its
///   fused path (`dot_product_attention`, every other call); Keel computes what the path Keras
///   takes would.
/// - The layer's `activity_regularizer` applies to each projection's output (Keras hands it to
///   the EinsumDense layers), not to the layer's own output.
@Component(.layer)
open class MultiHeadAttention: Layer {
    open override class var kerasClassName: String { "MultiHeadAttention" }

    /// The call argument carrying the mask attached to the query tensor (see the class comment).
    public static let attachedQueryMaskArgument = "_query_keras_mask"

    @Hyper("num_heads", .size) public var numHeads: Int
    @Hyper("key_dim", .size) public var keyDim: Int
    /// nil until configured, then `key_dim` when not given, as Keras stores it.
    @Hyper("value_dim", HyperCheck("an integer from 1 to \(1 << 24) or null") { $0.map { $0 >= 1 && $0 <= 1 << 24 } ?? true })
    public var valueDim: Int? = nil
    @Hyper("dropout", .inRange(0...1)) public var dropout = 0.0
    @Hyper("use_bias") public var useBias = true
    @Hyper("use_gate") public var useGate = false
    @Hyper("output_shape", HyperCheck("sizes from 1 to \(1 << 24), at least one") { shape in
        shape.map { !$0.values.isEmpty && $0.values.allSatisfy { $0 >= 1 && $0 <= 1 << 24 } } ?? true
    })
    public var outputShape: IntList? = nil
    /// Null attends over every axis but the batch and the features; Keras writes the resolved
    /// axes once the layer is built.
    @Hyper("attention_axes") public var attentionAxes: IntList? = nil
    @Hyper("sliding_window", HyperCheck("a positive integer or null") { $0.map { $0 > 0 } ?? true })
    public var slidingWindow: Int? = nil
    /// Keras's constructor takes it but leaves it out of the config; Keel computes the same values
    /// either way.
    @Hyper("flash_attention", written: false) public var flashAttention: Bool? = nil
    @Hyper("kernel_initializer") public var kernelInitializer: Initializer = GlorotUniform()
    @Hyper("bias_initializer") public var biasInitializer: Initializer = Zeros()
    @Hyper("kernel_regularizer") public var kernelRegularizer: Regularizer? = nil
    @Hyper("bias_regularizer") public var biasRegularizer: Regularizer? = nil
    public let activityRegularizerField = ActivityRegularizerField()
    @Hyper("kernel_constraint") public var kernelConstraint: Constraint? = nil
    @Hyper("bias_constraint") public var biasConstraint: Constraint? = nil
    @Hyper("seed") public var seed: Int? = nil

    public private(set) var queryDense: EinsumDense?
    public private(set) var keyDense: EinsumDense?
    public private(set) var valueDense: EinsumDense?
    public private(set) var gateDense: EinsumDense?
    public private(set) var outputDense: EinsumDense?
    private var softmaxLayer: Softmax?
    private var dropoutLayer: Dropout?
    private var dotProductEquation: EinsumEquation?
    private var combineEquation: EinsumEquation?

    open override func didConfigure() {
        if valueDim == nil { valueDim = keyDim }
    }

    open override func check() throws {
        try super.check()
        if flashAttention == true && dropout > 0 {
            throw KeelError("\(nameForMessages): field 'flash_attention'",
                            expected: "false or null when dropout is set (Keras does not drop with flash attention)",
                            found: "true with dropout \(dropout)")
        }
    }

    private var resolvedValueDim: Int { valueDim ?? keyDim }

    open override var inputCount: InputCount { .between(2, 3) }

    open override var positionalInputNames: [String]? { ["query", "value", "key"] }

    open override var acceptedCallArguments: Set<String> {
        ["attention_mask", "query_mask", "value_mask", "key_mask", "use_causal_mask", "return_attention_scores",
         Self.attachedQueryMaskArgument]
    }

    open override var supportsMasking: Bool { true }

    open override var usesTrainingFlag: Bool { dropout > 0 }

    /// The projections' outputs carry the activity penalty instead (`penalized`).
    open override var outputPenalty: Regularizer? { nil }

    /// Keras fills `query_mask`, `value_mask` and `key_mask` from the inputs' masks; its call then
    /// reads the query's from the tensor itself, which is what the attached argument stands for.
    open override func maskArguments(for masks: [Tensor?]) -> CallArguments {
        var arguments = CallArguments()
        if let query = masks.first ?? nil { arguments[Self.attachedQueryMaskArgument] = .tensor(query) }
        if masks.count > 1, let value = masks[1] { arguments["value_mask"] = .tensor(value) }
        if masks.count > 2, let key = masks[2] { arguments["key_mask"] = .tensor(key) }
        return arguments
    }

    open override var sublayers: [Sublayer] {
        guard let queryDense, let keyDense, let valueDense, let outputDense, let softmaxLayer, let dropoutLayer else { return [] }
        var slots: [Sublayer] = [.one("query_dense", queryDense), .one("key_dense", keyDense)]
        if let gateDense { slots.append(.one("_gate_dense", gateDense)) }
        return slots + [.one("value_dense", valueDense), .one("_softmax", softmaxLayer), .one("_dropout_layer", dropoutLayer),
                        .one("output_dense", outputDense)]
    }

    // MARK: Shapes

    /// `attention_axes` made non-negative for inputs of `rank` as Keras does (a negative axis
    /// counts from the projected tensor's heads axis), each one of the axes between the batch and
    /// the features.
    private func resolvedAttentionAxes(rank: Int, shapes: [[Int?]]) throws -> [Int] {
        guard let given = attentionAxes?.values else { return Array(1..<(rank - 1)) }
        let axes = given.map { $0 >= 0 ? $0 : rank + $0 }
        guard axes.allSatisfy({ (1...(rank - 2)).contains($0) }), Set(axes).count == axes.count else {
            throw invalidInput(expected: "attention_axes \(given) among the axes between the batch and the features (1 to \(rank - 2))",
                               found: shapes)
        }
        return axes
    }

    open override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        let query = inputShapes[0], value = inputShapes[1]
        let key = inputShapes.count > 2 ? inputShapes[2] : value
        let rank = query.count
        guard rank >= 3, rank <= 7, value.count == rank, key.count == rank else {
            throw invalidInput(expected: "query, value and key of one rank from 3 to 7 (batch, ..., features)", found: inputShapes)
        }
        for axis in 1..<(rank - 1) {
            if let v = value[axis], let k = key[axis], v != k {
                throw invalidInput(expected: "a key and a value of equal sizes on every axis but the last", found: inputShapes)
            }
        }
        let axes = try resolvedAttentionAxes(rank: rank, shapes: inputShapes)
        for axis in 1..<(rank - 1) where !axes.contains(axis) {
            if let q = query[axis], let v = value[axis], q != v {
                throw invalidInput(expected: "a query and a value of equal sizes on the axes attention does not run over", found: inputShapes)
            }
        }
        let features = try [query, value, key].enumerated().map { i, shape in
            guard let size = shape[rank - 1] else {
                throw invalidInput(expected: "a known feature (last) size of the \(["query", "value", "key"][i])", found: inputShapes)
            }
            return size
        }
        for (i, dense) in [queryDense, valueDense, keyDense].enumerated() {
            try checkBuiltDimension(features[i], builtFor: dense?.kernel.shape[0], what: "a last dimension of", shapes: inputShapes)
        }
        try checkWeightFits([features[0], numHeads, keyDim], weight: "query kernel", shapes: inputShapes)
        try checkWeightFits([features[2], numHeads, keyDim], weight: "key kernel", shapes: inputShapes)
        try checkWeightFits([features[1], numHeads, resolvedValueDim], weight: "value kernel", shapes: inputShapes)
        let projected = outputShape?.values ?? [features[0]]
        try checkWeightFits([numHeads, resolvedValueDim] + projected, weight: "attention_output kernel", shapes: inputShapes)
        let output = Array(query.dropLast()) + projected.map { Optional($0) }
        guard arguments.bool("return_attention_scores") == true else { return [output] }
        if flashAttention == true {
            throw invalidInput(expected: "no attention scores asked for with flash_attention (Keras cannot return them)",
                               found: inputShapes)
        }
        let others = (1..<(rank - 1)).filter { !axes.contains($0) }
        let scores = [query[0]] + others.map { query[$0] } + [numHeads] + axes.map { query[$0] } + axes.map { value[$0] }
        return [output, scores]
    }

    // MARK: Building

    open override func build(inputShapes: [[Int]]) {
        let query = inputShapes[0], value = inputShapes[1]
        let key = inputShapes.count > 2 ? inputShapes[2] : value
        let rank = query.count
        opCheck(rank >= 3 && value.count == rank && key.count == rank,
                "\(nameForMessages): query, value and key of one rank, 3 or more, found \(inputShapes)")
        guard let axes = try? resolvedAttentionAxes(rank: rank, shapes: inputShapes.map { $0.map { $0 } }) else {
            OpCheck.fail("\(nameForMessages): attention_axes \(attentionAxes?.values ?? []) do not fit inputs of rank \(rank)")
        }
        let headsShape = [Int?](repeating: nil, count: rank - 2)
        func projection(_ name: String, heads: Int, activation: Activation = .linear) -> EinsumDense {
            let (equation, biasAxes, _) = AttentionEquations.projection(free: rank - 1, bound: 1, output: 2)
            return EinsumDense(partialOutputShape: PartialShape(headsShape + [numHeads, heads]), equation: equation,
                               activation: activation, biasAxes: useBias ? biasAxes : nil,
                               kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                               kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                               kernelConstraint: kernelConstraint, biasConstraint: biasConstraint, name: name, trainable: trainable)
        }
        // Created and built in Keras's order, which is the order of `weights`.
        let queryDense = projection("query", heads: keyDim)
        queryDense.buildIfNeeded(inputShapes: [query])
        let keyDense = projection("key", heads: keyDim)
        keyDense.buildIfNeeded(inputShapes: [key])
        if useGate {
            let gateDense = projection("gate", heads: resolvedValueDim, activation: .named("sigmoid"))
            gateDense.buildIfNeeded(inputShapes: [query])
            self.gateDense = gateDense
        }
        let valueDense = projection("value", heads: resolvedValueDim)
        valueDense.buildIfNeeded(inputShapes: [value])

        let (dotProduct, combine, scoresRank) = AttentionEquations.attention(rank: rank + 1, attentionAxes: axes)
        dotProductEquation = AttentionEquations.parsed(dotProduct)
        combineEquation = AttentionEquations.parsed(combine)
        attentionAxes = .many(axes)
        softmaxLayer = Softmax(axis: .many(Array((scoresRank - axes.count)..<scoresRank)))
        dropoutLayer = Dropout(rate: dropout, seed: seed)

        let projected = outputShape?.values ?? [query[rank - 1]]
        let (equation, biasAxes, _) = AttentionEquations.projection(free: rank - 1, bound: 2, output: projected.count)
        let outputDense = EinsumDense(partialOutputShape: PartialShape(headsShape + projected.map { Optional($0) }),
                                      equation: equation, biasAxes: useBias ? biasAxes : nil,
                                      kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                                      kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                                      kernelConstraint: kernelConstraint, biasConstraint: biasConstraint,
                                      name: "attention_output", trainable: trainable)
        outputDense.buildIfNeeded(inputShapes: [Array(query.dropLast()) + [numHeads, resolvedValueDim]])
        (self.queryDense, self.keyDense, self.valueDense, self.outputDense) = (queryDense, keyDense, valueDense, outputDense)
        prefixWeightPaths(with: name)
    }

    // MARK: Calling

    open override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        guard let queryDense, let keyDense, let valueDense, let outputDense else {
            OpCheck.fail("\(nameForMessages) was called before it was built")
        }
        let query = inputs[0], value = inputs[1]
        let key = inputs.count > 2 ? inputs[2] : value
        opCheck(query.rank == builtInputShapes[0].count,
                "\(nameForMessages): a query of rank \(query.rank), the layer was built for rank \(builtInputShapes[0].count)")
        let returnScores = arguments.bool("return_attention_scores") ?? false
        opCheck(!(returnScores && flashAttention == true),
                "\(nameForMessages): attention scores cannot be returned with flash_attention, as in Keras")
        let mask = attentionMask(query: query, value: value, arguments: arguments)
        let gate = gateDense.map { penalized($0.call(query, training: training)) }
        let projectedQuery = penalized(queryDense.call(query, training: training))
        let projectedKey = penalized(keyDense.call(key, training: training))
        let projectedValue = penalized(valueDense.call(value, training: training))
        // Keras's fused `dot_product_attention` serves every call but these.
        let fused = dropout == 0 && !returnScores && query.rank == 3
        let (attended, scores) = attend(query: projectedQuery, key: projectedKey, value: projectedValue, mask: mask,
                                        fused: fused, training: training)
        let output = penalized(outputDense.call(gate.map { attended * $0 } ?? attended, training: training))
        return returnScores ? [output, scores] : [output]
    }

    /// Softmax-weighted values and the weights (the scores), per head.
    private func attend(query: Tensor, key: Tensor, value: Tensor, mask: Tensor?, fused: Bool,
                        training: Bool) -> (Tensor, Tensor) {
        guard let dotProductEquation, let combineEquation, let softmaxLayer, let dropoutLayer else {
            OpCheck.fail("\(nameForMessages) was called before it was built")
        }
        let scale = Float(1 / Double(keyDim).squareRoot())
        // The fused path scales the products, the explicit one the query first, as in Keras.
        var logits = fused ? dotProductEquation.apply(key, query) * scale : dotProductEquation.apply(key, query * scale)
        let scoresMask = mask.map { expanded($0, toScoresOf: logits) }
        if let scoresMask { logits = `where`(scoresMask, logits, Tensor(-1e9)) }
        var scores = softmaxLayer.call(logits, training: false)
        // Keras's Softmax layer zeroes masked scores, so a query step with nothing to attend to
        // gets zeros; the fused kernel leaves such a row uniform.
        if let scoresMask, !fused { scores = `where`(scoresMask, scores, Tensor(0)) }
        let dropped = dropout > 0 ? dropoutLayer.call(scores, training: training) : scores
        return (combineEquation.apply(dropped, value), scores)
    }

    /// The mask (batch, query steps, value steps) every given mask makes together (Keras's
    /// `_compute_attention_mask`): the query's as (batch, T, 1), the value's and key's as
    /// (batch, 1, S), the causal and sliding-window bands as (1, T, S), then `attention_mask`.
    /// 1 where a query step may attend to a value step; nil when nothing is masked.
    private func attentionMask(query: Tensor, value: Tensor, arguments: CallArguments) -> Tensor? {
        func truth(_ mask: Tensor) -> Tensor {
            (mask.dtype == .float32 ? mask : mask.cast(to: .float32)).notEqual(Tensor(0))
        }
        func inserting(_ mask: Tensor, axisFromEnd: Int) -> Tensor {
            var shape = mask.shape
            shape.insert(1, at: shape.count + 1 - axisFromEnd)
            return mask.reshaped(shape)
        }
        var combined: Tensor?
        func and(_ mask: Tensor) { combined = combined.map { $0 * mask } ?? mask }
        if let mask = arguments.tensor(Self.attachedQueryMaskArgument) { and(inserting(truth(mask), axisFromEnd: 1)) }
        if let mask = arguments.tensor("value_mask") { and(inserting(truth(mask), axisFromEnd: 2)) }
        if let mask = arguments.tensor("key_mask") { and(inserting(truth(mask), axisFromEnd: 2)) }
        let (queryLength, valueLength) = (query.shape[1], value.shape[1])
        if arguments.bool("use_causal_mask") == true {
            and(Self.band(queryLength, valueLength) { row, column in row >= column })
        }
        if let slidingWindow {
            and(Self.band(queryLength, valueLength) { row, column in abs(row - column) < slidingWindow })
        }
        if let mask = arguments.tensor("attention_mask") {
            return combined.map { truth(mask) * $0 } ?? truth(mask)
        }
        return combined
    }

    /// A (1, rows, columns) mask, 1 where `keep(row, column)`.
    private static func band(_ rows: Int, _ columns: Int, keep: (Int, Int) -> Bool) -> Tensor {
        var values = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns where keep(row, column) { values[row * columns + column] = 1 }
        }
        return Tensor(shape: [1, rows, columns], scalars: values)
    }

    /// The mask with axes of size 1 inserted before its query and key attention axes until it has
    /// the scores' rank, as Keras's `_masked_softmax` expands it (the heads axis and the batch
    /// axes between), checked to broadcast to the scores without growing them.
    private func expanded(_ mask: Tensor, toScoresOf scores: Tensor) -> Tensor {
        let attentionRank = 2 * (attentionAxes?.values.count ?? 1)
        let missing = scores.rank - mask.rank
        opCheck(missing >= 0 && mask.rank >= attentionRank,
                "\(nameForMessages): an attention mask of shape \(mask.shape) does not fit scores of shape \(scores.shape)")
        var shape = mask.shape
        shape.insert(contentsOf: [Int](repeating: 1, count: missing), at: mask.rank - attentionRank)
        opCheck(zip(shape, scores.shape).allSatisfy { $0 == 1 || $0 == $1 },
                "\(nameForMessages): an attention mask of shape \(mask.shape) does not broadcast to scores of shape \(scores.shape)")
        return mask.reshaped(shape)
    }

    /// Adds the activity penalty of a projection's output, divided by the batch size as Keras 3
    /// does for every layer's output.
    private func penalized(_ output: Tensor) -> Tensor {
        guard let activityRegularizer else { return output }
        let penalty = activityRegularizer(output)
        let batch = output.rank > 0 ? output.shape[0] : 1
        addLoss(batch > 0 ? penalty / Float(batch) : penalty * 0)
        return output
    }
}

/// An integer or a list of them, written back as a list: Keras keeps MultiHeadAttention's
/// `output_shape` and `attention_axes` as tuples, turning a lone integer into a one-item tuple.
public struct IntList: ConfigRepresentable, Equatable, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral, Sendable {
    public var values: [Int]

    public init(_ values: [Int]) { self.values = values }
    public init(arrayLiteral elements: Int...) { values = elements }
    public init(integerLiteral value: Int) { values = [value] }

    public static func many(_ values: [Int]) -> IntList { IntList(values) }

    public init(configValue: JSONValue) throws {
        if let value = configValue.intValue { values = [value]; return }
        guard let items = configValue.arrayValue else { throw ConfigMismatch("an integer or a list of integers") }
        values = try items.map { item in
            guard let value = item.intValue else { throw ConfigMismatch("an integer or a list of integers") }
            return value
        }
    }

    public var configValue: JSONValue { .array(values.map { .int($0) }) }
}
