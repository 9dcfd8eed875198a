/// What Keras's `Attention` and `AdditiveAttention` share (the second subclasses the first in
/// Keras): called on [query, value] or [query, value, key] (the key defaults to the value), each
/// query step scores every key step (`scores(query:key:)`, the subclass's), the scores of masked
/// value steps are lowered by 1e9, a softmax over the key steps weights the values, and masked
/// query steps output zeros. Call arguments: `mask` ([query mask, value mask], per input, either
/// nil), `use_causal_mask`, `return_attention_scores` (a second output: the softmax weights,
/// (batch, query steps, value steps)). The output's mask is the query's.
open class ScoredAttention: Layer {
    /// The fraction of attention weights dropped in training.
    open var dropoutRate: Double { 0 }
    /// The seed of the dropout masks (nil: the engine-wide generator).
    open var dropoutSeed: Int? { nil }
    private var seededGenerator: RandomGenerator?

    /// The scores (batch, query steps, key steps) before masking.
    open func scores(query: Tensor, key: Tensor) -> Tensor {
        OpCheck.fail("\(type(of: self)) must override scores(query:key:)")
    }

    open override var inputCount: InputCount { .between(2, 3) }

    open override var acceptedCallArguments: Set<String> { ["mask", "use_causal_mask", "return_attention_scores"] }

    open override var usesTrainingFlag: Bool { dropoutRate > 0 }

    /// Keras's `compute_mask`: the query's mask, from the call's `mask` when given, else from the
    /// inputs' masks.
    open override func outputMasks(for inputs: [Tensor], masks: [Tensor?], arguments: CallArguments,
                                   outputCount: Int) -> [Tensor?] {
        let given = arguments.optionalTensors("mask") ?? masks
        return [given.first ?? nil] + Array(repeating: nil, count: max(outputCount - 1, 0))
    }

    open override func outputShapes(for inputShapes: [[Int?]], arguments: CallArguments) throws -> [[Int?]] {
        let query = inputShapes[0], value = inputShapes[1]
        let key = inputShapes.count > 2 ? inputShapes[2] : value
        let rank = query.count
        guard rank >= 3, rank <= 8, value.count == rank, key.count == rank else {
            throw invalidInput(expected: "query, value and key of one rank from 3 to 8 (batch, ..., steps, features)",
                               found: inputShapes)
        }
        for axis in 0..<(rank - 2) {
            let sizes = [query[axis], value[axis], key[axis]].compactMap { $0 }
            if Set(sizes).count > 1 {
                throw invalidInput(expected: "a query, value and key of equal sizes on every axis before the steps", found: inputShapes)
            }
        }
        if let v = value[rank - 2], let k = key[rank - 2], v != k {
            throw invalidInput(expected: "a value and a key of equal steps", found: inputShapes)
        }
        guard let features = query[rank - 1], features == key[rank - 1] else {
            throw invalidInput(expected: "a query and a key of one known feature (last) size", found: inputShapes)
        }
        try checkQueryFeatures(features, shapes: inputShapes)
        let output = Array(query.dropLast()) + [value[rank - 1]]
        guard arguments.bool("return_attention_scores") == true else { return [output] }
        return [output, Array(query.dropLast()) + [key[rank - 2]]]
    }

    /// Refuses a query feature size the layer's weights were built for differently.
    open func checkQueryFeatures(_ features: Int, shapes: [[Int?]]) throws {}

    open override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
        let query = inputs[0], value = inputs[1]
        let key = inputs.count > 2 ? inputs[2] : value
        // Keras takes a list of 2 or 3 masks (the key's is never read).
        let masks = arguments.optionalTensors("mask") ?? []
        opCheck(masks.isEmpty || (2...3).contains(masks.count),
                "\(nameForMessages): a mask for each of [query, value] (or [query, value, key]), found \(masks.count)")
        let queryMask = masks.first ?? nil
        let valueMask = masks.count > 1 ? masks[1] : nil
        var scores = scores(query: query, key: key)
        if let scoresMask = scoresMask(valueMask: valueMask, causal: arguments.bool("use_causal_mask") == true, scores: scores) {
            // Keras's `scores - 1e9` where masked, so a step with nothing to attend to stays uniform.
            scores = `where`(scoresMask, scores, scores - 1e9)
        }
        var weights = scores.softmax(axis: -1)
        let distribution = weights
        if training && dropoutRate > 0 {
            if seededGenerator == nil, let dropoutSeed { seededGenerator = RandomGenerator(seed: UInt64(bitPattern: Int64(dropoutSeed))) }
            weights = weights.dropout(rate: Float(dropoutRate), generator: seededGenerator ?? KeelRandom.generator)
        }
        var output = weights.matmul(value)
        if let queryMask { output = `where`(queryMask.reshaped(queryMask.shape + [1]), output, Tensor(0)) }
        return arguments.bool("return_attention_scores") == true ? [output, distribution] : [output]
    }

    /// Keras's `_calculate_score_mask`: the value's mask as (batch, 1, value steps), and with
    /// `use_causal_mask` the lower triangle (1, query steps, value steps) too.
    private func scoresMask(valueMask: Tensor?, causal: Bool, scores: Tensor) -> Tensor? {
        let valueMask = valueMask.map { mask in
            mask.reshaped(Array(mask.shape.dropLast()) + [1, mask.shape[mask.rank - 1]])
        }
        guard causal else { return valueMask }
        let (rows, columns) = (scores.shape[scores.rank - 2], scores.shape[scores.rank - 1])
        var values = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<min(row + 1, columns) { values[row * columns + column] = 1 }
        }
        let lowerTriangle = Tensor(shape: [1, rows, columns], scalars: values)
        return valueMask.map { $0.notEqual(Tensor(0)) * lowerTriangle } ?? lowerTriangle
    }

    /// `x` with an axis of size 1 inserted `fromEnd` axes before its end (1: a new last axis).
    static func inserting(_ x: Tensor, axisFromEnd fromEnd: Int) -> Tensor {
        var shape = x.shape
        shape.insert(1, at: shape.count + 1 - fromEnd)
        return x.reshaped(shape)
    }
}
