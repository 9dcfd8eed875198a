/// Keras's `IntegerLookup` with a fixed `vocabulary`: each integer's index, the first
/// `num_oov_indices` indices for values outside the vocabulary (value floormod
/// `num_oov_indices` picks one) and the vocabulary's entries after them in order. `int` gives
/// the indices (int32; Keras int64), `multi_hot` a float vector of `vocabulary_size` per
/// sample with 1 where an index occurs.
@Component(.layer)
open class IntegerLookup: Layer {
    open override class var kerasClassName: String { "IntegerLookup" }

    public enum OutputMode: String, CaseIterable, ConfigRepresentable, Sendable {
        case int, multiHot = "multi_hot"
    }

    @Hyper("invert", .mustBeFalse("Keel's IntegerLookup maps values to indices only")) public var invert = false
    @Hyper("max_tokens", HyperCheck("null or an integer ≥ 1") { $0.map { $0 >= 1 } ?? true }) public var maxTokens: Int? = nil
    @Hyper("num_oov_indices", .inRange(0...(1 << 20))) public var numOOVIndices = 1
    @Hyper("oov_token") public var oovToken = -1
    @Hyper("mask_token", .mustBeNull("Keel's IntegerLookup has no mask token")) public var maskToken: Int? = nil
    @Hyper("output_mode") public var outputMode: OutputMode = .int
    @Hyper("sparse", .mustBeFalse("Keel has no sparse tensors")) public var sparse = false
    @Hyper("pad_to_max_tokens", .mustBeFalse("Keel does not pad the vocabulary")) public var padToMaxTokens = false
    @Hyper("vocabulary_dtype", .oneOf(["int64"])) public var vocabularyDType = "int64"
    @Hyper("idf_weights", .mustBeNull("only tf_idf uses them, which Keel's IntegerLookup does not do"))
    public var idfWeights: JSONValue? = nil
    @Hyper("vocabulary", HyperCheck("a list of distinct integers") { vocabulary in
        vocabulary.map { Set($0).count == $0.count } ?? false
    }) public var vocabulary: [Int]? = nil
    /// Written from the vocabulary, as Keras records it; a config's value is read and recomputed.
    @Hyper("vocabulary_size") public var vocabularySize: Int? = nil
    @Hyper("oov_method", .oneOf(["floormod"])) public var oovMethod = "floormod"
    @Hyper("salt", .mustBeNull("floormod does not use a salt")) public var salt: Int? = nil

    private var indexOf: [Int: Int32] = [:]

    open override func check() throws {
        try super.check()
        if let maxTokens, let vocabulary, vocabulary.count + numOOVIndices > maxTokens {
            throw KeelError("\(nameForMessages): field 'vocabulary'", expected: "at most max_tokens (\(maxTokens)) entries with the OOV indices",
                            found: "\(vocabulary.count) entries and \(numOOVIndices) OOV indices")
        }
    }

    open override func didConfigure() {
        indexOf = [:]
        for (i, value) in (vocabulary ?? []).enumerated() { indexOf[value] = Int32(numOOVIndices + i) }
        vocabularySize = vocabulary.map { $0.count + numOOVIndices }
    }

    private var size: Int { (vocabulary?.count ?? 0) + numOOVIndices }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: outputMode == .int ? 1...8 : 1...2)
        return outputMode == .int ? shape : Array(shape.dropLast()) + [size]
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { outputMode == .int ? .int32 : .float32 }

    /// The index of one value.
    private func index(_ value: Int32) -> Int32 {
        if let known = indexOf[Int(value)] { return known }
        guard numOOVIndices > 0 else { return -1 }
        let n = Int32(numOOVIndices)
        let r = value % n
        return r < 0 ? r + n : r
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let indices = input.int32Scalars.map(index)
        guard outputMode == .multiHot else { return Tensor(shape: input.shape, int32s: indices) }
        let length = input.shape.last ?? 1, samples = length == 0 ? 0 : indices.count / length
        var out = [Float](repeating: 0, count: samples * size)
        for s in 0..<samples {
            for j in 0..<length where indices[s * length + j] >= 0 { out[s * size + Int(indices[s * length + j])] = 1 }
        }
        return Tensor(shape: Array(input.shape.dropLast()) + [size], scalars: out)
    }
}
