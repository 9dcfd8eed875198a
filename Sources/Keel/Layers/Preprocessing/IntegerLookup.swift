import Foundation

/// Keras's `IntegerLookup`: each integer's index in a vocabulary, given or learned by `adapt`.
///
/// The indices are laid out as Keras lays them out: in `int` mode a `mask_token` takes index 0
/// (the other modes reserve no index for it and leave masked values out of the encoding), then
/// `num_oov_indices` indices for values outside the vocabulary (value floormod
/// `num_oov_indices` picks one), then the vocabulary's entries in order. A given vocabulary may
/// start with exactly those special tokens (as `getVocabulary()` returns them); they are
/// skipped. `int` gives the indices (int32; Keras int64); `one_hot`, `multi_hot`, `count` and
/// `tf_idf` float vectors of `vocabulary_size`. `invert` maps indices back to values: the mask
/// index to `mask_token`, the OOV indices and indices out of range to `oov_token`.
///
/// Keras keeps an adapted vocabulary outside the config (a `.keras` asset, nothing in `.h5`);
/// Keel writes it into `vocabulary` (and the learned `idf_weights`), which Keras reads back to
/// the same lookup, so both file formats keep it. (Keras 3.15.1 loads such `.h5` and `.keras`
/// files, except a `tf_idf` lookup in `.keras`: its loader also wants `vars/idf_weights` in the
/// weights file, which Keel does not write.)
@Component(.layer)
open class IntegerLookup: Layer {
    open override class var kerasClassName: String { "IntegerLookup" }

    public enum OutputMode: String, CaseIterable, ConfigRepresentable, Sendable {
        case int, oneHot = "one_hot", multiHot = "multi_hot", count, tfIDF = "tf_idf"

        /// Keras also reads `binary` (old `multi_hot`) and `tf-idf`.
        public init(configValue: JSONValue) throws {
            let aliases = ["binary": OutputMode.multiHot, "tf-idf": .tfIDF]
            guard let text = configValue.stringValue?.lowercased(),
                  let mode = OutputMode(rawValue: text) ?? aliases[text] else {
                throw ConfigMismatch("one of int, one_hot, multi_hot, count, tf_idf")
            }
            self = mode
        }
    }

    @Hyper("invert") public var invert = false
    @Hyper("max_tokens", HyperCheck("null or an integer ≥ 2") { $0.map { $0 >= 2 } ?? true }) public var maxTokens: Int? = nil
    @Hyper("num_oov_indices", .inRange(0...(1 << 20))) public var numOOVIndices = 1
    @Hyper("oov_token") public var oovToken = -1
    @Hyper("mask_token") public var maskToken: Int? = nil
    @Hyper("output_mode") public var outputMode: OutputMode = .int
    @Hyper("sparse", .mustBeFalse("Keel has no sparse tensors")) public var sparse = false
    @Hyper("pad_to_max_tokens", .mustBeFalse("Keel does not pad the vocabulary")) public var padToMaxTokens = false
    @Hyper("vocabulary_dtype", .oneOf(["int64"])) public var vocabularyDType = "int64"
    @Hyper("idf_weights") public var idfWeights: [Double]? = nil
    @Hyper("vocabulary", HyperCheck("null or a list of at most 16777216 integers") { ($0?.count ?? 0) <= 1 << 24 })
    public var vocabulary: [Int]? = nil
    /// Written from the vocabulary, as Keras records it; a config's value is read and recomputed.
    @Hyper("vocabulary_size") public var vocabularySize: Int? = nil
    @Hyper("oov_method", .oneOf(["floormod"])) public var oovMethod = "floormod"
    @Hyper("salt", .mustBeNull("floormod does not use a salt")) public var salt: Int? = nil

    /// The vocabulary without the special tokens it may start with.
    private var tokens: [Int] = []
    private var indexOf: [Int: Int32] = [:]
    /// One weight per index (the OOV indices get the mean of the given ones unless given), `tf_idf` only.
    private var indexWeights: [Float] = []
    /// Set by `adapt`, so a learned vocabulary may be learned again; a given one may not (as in Keras).
    private var vocabularyIsAdapted = false

    /// Index 0 is the mask's only in `int` mode.
    private var oovStart: Int { maskToken != nil && outputMode == .int ? 1 : 0 }
    private var tokenStart: Int { oovStart + max(0, numOOVIndices) }
    private var specialTokens: [Int] {
        (maskToken.map { Array(repeating: $0, count: oovStart) } ?? []) + Array(repeating: oovToken, count: max(0, numOOVIndices))
    }
    /// Whether the given vocabulary starts with the special tokens, which are then skipped.
    private var vocabularyHasSpecialTokens: Bool {
        guard let vocabulary, vocabulary.count >= tokenStart else { return false }
        return Array(vocabulary.prefix(tokenStart)) == specialTokens
    }
    /// The given vocabulary's own entries.
    private var givenTokens: [Int] {
        vocabularyHasSpecialTokens ? Array((vocabulary ?? []).dropFirst(tokenStart)) : vocabulary ?? []
    }

    /// The number of indices, mask and OOV ones included (Keras's `vocabulary_size()`).
    public var currentVocabularySize: Int { vocabulary == nil ? (vocabularySize ?? tokenStart) : tokenStart + tokens.count }

    /// The value of every index, mask and OOV tokens included unless asked otherwise (Keras's
    /// `get_vocabulary`): index i of the result is what `invert` maps i to.
    public func getVocabulary(includeSpecialTokens: Bool = true) -> [Int] {
        var values = specialTokens + tokens
        if vocabulary == nil { values += Array(repeating: oovToken, count: max(0, currentVocabularySize - values.count)) }
        return includeSpecialTokens ? values : Array(values.dropFirst(tokenStart))
    }

    private func configError(_ field: String, expected: String, found: String) -> KeelError {
        KeelError("\(nameForMessages): field '\(field)'", expected: expected, found: found)
    }

    open override func check() throws {
        try super.check()
        if invert && outputMode != .int {
            throw configError("output_mode", expected: "int when 'invert' is true", found: outputMode.rawValue)
        }
        if idfWeights != nil && outputMode != .tfIDF {
            throw configError("idf_weights", expected: "null unless output_mode is tf_idf", found: "\(idfWeights!.count) weights")
        }
        guard let vocabulary else {
            if let vocabularySize, vocabularySize != tokenStart {
                throw configError("vocabulary", expected: "the vocabulary of this adapted layer (Keel does not read Keras's assets/vocabulary.txt)",
                                  found: "null with vocabulary_size \(vocabularySize)")
            }
            return
        }
        if outputMode == .tfIDF && idfWeights == nil {
            throw configError("idf_weights", expected: "one weight per vocabulary entry with output_mode tf_idf", found: "null")
        }
        guard !vocabulary.isEmpty else { throw configError("vocabulary", expected: "at least one entry", found: "an empty list") }
        let tokens = givenTokens
        var seen = Set<Int>(), repeated: [Int] = []
        for token in tokens where !seen.insert(token).inserted { repeated.append(token) }
        if !repeated.isEmpty { throw configError("vocabulary", expected: "distinct integers", found: "repeated \(repeated)") }
        if let maskToken, tokens.contains(maskToken) {
            throw configError("vocabulary", expected: "no mask_token (\(maskToken)), or the special tokens \(specialTokens) only at its start",
                              found: "\(maskToken) among the entries")
        }
        if let maxTokens, tokenStart + tokens.count > maxTokens {
            throw configError("vocabulary", expected: "at most max_tokens (\(maxTokens)) indices with the mask and OOV ones",
                              found: "\(tokenStart + tokens.count) indices")
        }
        if let idfWeights, idfWeights.count != vocabulary.count {
            throw configError("idf_weights", expected: "one weight per vocabulary entry (\(vocabulary.count))", found: "\(idfWeights.count) weights")
        }
        if invert, let outside = ([oovToken] + (maskToken.map { [$0] } ?? []) + tokens).first(where: { Int32(exactly: $0) == nil }) {
            throw configError("vocabulary", expected: "values Keel's int32 tensors hold when inverting", found: "\(outside)")
        }
    }

    open override func didConfigure() {
        let hasSpecialPrefix = vocabularyHasSpecialTokens
        tokens = givenTokens
        indexOf = [:]
        for (i, value) in tokens.enumerated() { indexOf[value] = Int32(truncatingIfNeeded: tokenStart + i) }
        if vocabulary != nil { vocabularySize = tokenStart + tokens.count }
        indexWeights = []
        if let idfWeights, !idfWeights.isEmpty {
            let weights = idfWeights.map { Float($0) }
            // Keras pads the OOV (and mask) indices with the mean unless the weights include them.
            let mean = Float(idfWeights.reduce(0, +) / Double(idfWeights.count))
            indexWeights = hasSpecialPrefix ? weights : Array(repeating: mean, count: tokenStart) + weights
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        switch outputMode {
        case .int: return try singleInput(inputShapes, rank: 1...8)
        case .oneHot:
            let shape = try singleInput(inputShapes, rank: 1...8)
            try requireKnownSize(inputShapes)
            return (shape.count > 1 && shape.last == 1 ? Array(shape.dropLast()) : shape) + [currentVocabularySize]
        case .multiHot, .count, .tfIDF:
            let shape = try singleInput(inputShapes, rank: 1...2)
            try requireKnownSize(inputShapes)
            return Array(shape.dropLast()) + [currentVocabularySize]
        }
    }

    private func requireKnownSize(_ inputShapes: [[Int?]]) throws {
        if vocabulary == nil && vocabularySize == nil {
            throw invalidInput(expected: "a vocabulary for output_mode \(outputMode.rawValue) (give one or adapt the layer first)",
                               found: inputShapes)
        }
        if outputMode == .tfIDF && indexWeights.count != currentVocabularySize {
            throw invalidInput(expected: "idf_weights for output_mode tf_idf (give them with the vocabulary or adapt the layer)",
                               found: inputShapes)
        }
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { outputMode == .int ? .int32 : .float32 }

    /// The index of one value; -1 for a value no index takes (a masked value outside `int`
    /// mode, an unknown one without OOV indices), which the encodings leave out.
    private func index(_ value: Int32) -> Int32 {
        if let maskToken, Int(value) == maskToken { return outputMode == .int ? 0 : -1 }
        if let known = indexOf[Int(value)] { return known }
        // Keras asserts there are no unknown values without OOV indices; Keel must not trap on data.
        guard numOOVIndices > 0 else { return -1 }
        let n = Int32(clamping: numOOVIndices)
        let r = value % n
        return (r < 0 ? r + n : r) + Int32(oovStart)
    }

    /// The value of one index (`invert`).
    private func value(_ index: Int32) -> Int32 {
        if let maskToken, index == 0 { return Int32(truncatingIfNeeded: maskToken) }
        let position = Int(index) - tokenStart
        guard position >= 0 && position < tokens.count else { return Int32(truncatingIfNeeded: oovToken) }
        return Int32(truncatingIfNeeded: tokens[position])
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        if invert { return Tensor(shape: input.shape, int32s: input.int32Scalars.map(value)) }
        let indices = input.int32Scalars.map(index)
        let size = currentVocabularySize
        switch outputMode {
        case .int:
            return Tensor(shape: input.shape, int32s: indices)
        case .oneHot:
            var shape = input.shape
            if shape.count > 1 && shape.last == 1 { shape.removeLast() }
            var out = [Float](repeating: 0, count: indices.count * size)
            for (i, index) in indices.enumerated() where index >= 0 && Int(index) < size { out[i * size + Int(index)] = 1 }
            return Tensor(shape: shape + [size], scalars: out)
        case .multiHot, .count, .tfIDF:
            // A rank-1 input is one sample, as in Keras.
            let length = input.shape.last ?? 1, samples = length == 0 ? 0 : indices.count / length
            var out = [Float](repeating: 0, count: samples * size)
            for s in 0..<samples {
                for j in 0..<length {
                    let index = Int(indices[s * length + j])
                    guard index >= 0 && index < size else { continue }
                    if outputMode == .multiHot { out[s * size + index] = 1 } else { out[s * size + index] += 1 }
                }
            }
            if outputMode == .tfIDF && indexWeights.count == size {
                for s in 0..<samples { for k in 0..<size { out[s * size + k] *= indexWeights[k] } }
            }
            return Tensor(shape: Array(input.shape.dropLast()) + [size], scalars: out)
        }
    }

    // MARK: adapt

    /// Learns the vocabulary from `data` (Keras's `adapt` on an array: a rank-1 array is one
    /// value per sample).
    public func adapt(_ data: Tensor) throws {
        try adapt(batches: [data.rank == 1 ? data.reshaped([data.count, 1]) : data])
    }

    /// `adapt` over the inputs (`x[0]`) of every batch of a dataset.
    public func adapt(_ dataset: Dataset) throws {
        try dataset.withInputBatches { try adapt(batches: $0) }
    }

    /// `adapt` over batches, as Keras's `update_state`/`finalize_state`: the vocabulary is every
    /// value but the mask and OOV tokens, the most frequent first, ties by the larger value
    /// first, cut to `max_tokens` with the special indices. For `tf_idf` each row of a batch
    /// (a rank-1 batch as a whole) is a document and a value's weight is
    /// log(1 + documents / (1 + documents holding it)).
    public func adapt<Batches: Sequence<Tensor>>(batches: Batches) throws {
        guard vocabulary == nil || vocabularyIsAdapted else {
            throw KeelError("\(nameForMessages): adapt", expected: "a layer without a given 'vocabulary'", found: "a vocabulary set in the config")
        }
        var counts: [Int: Int] = [:], documentCounts: [Int: Int] = [:], documents = 0
        for batch in batches {
            let values = batch.int32Scalars
            for value in values { counts[Int(value), default: 0] += 1 }
            guard outputMode == .tfIDF else { continue }
            guard batch.rank <= 2 else {
                throw invalidInput(expected: "adapt data of rank 1 or 2 for output_mode tf_idf (one document per row)",
                                   found: [batch.shape.map { $0 }])
            }
            let length = batch.rank == 2 ? batch.shape[1] : values.count
            let rows = batch.rank == 2 ? batch.shape[0] : 1
            for r in 0..<rows {
                for value in Set(values[(r * length)..<((r + 1) * length)]) { documentCounts[Int(value), default: 0] += 1 }
            }
            documents += rows
        }
        if let maskToken { counts[maskToken] = nil }
        counts[oovToken] = nil
        var learned = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key > $1.key }.map(\.key)
        if let maxTokens { learned = Array(learned.prefix(max(0, maxTokens - tokenStart))) }
        vocabularyIsAdapted = true
        if learned.isEmpty {
            // Keras keeps an empty table: every value is out of vocabulary.
            vocabulary = nil
            vocabularySize = tokenStart
            idfWeights = nil
        } else {
            vocabulary = learned
            idfWeights = outputMode == .tfIDF ? learned.map { token in
                Double(Float(log(1 + Double(documents) / Double(1 + (documentCounts[token] ?? 0)))))
            } : nil
        }
        didConfigure()
    }
}
