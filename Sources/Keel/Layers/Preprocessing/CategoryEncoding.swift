/// Keras's `CategoryEncoding`: integer ids in [0, num_tokens) as float vectors of length
/// `num_tokens` — `one_hot` (one per id), `multi_hot` (1 where an id of the sample occurs) or
/// `count` (how often, or the sum of the call argument `count_weights` at those places). Ids
/// outside the range count nowhere. Inputs have rank 1 or 2; `multi_hot`/`count` reduce the last
/// axis (a rank-1 input is one sample, as in Keras).
@Component(.layer)
open class CategoryEncoding: Layer {
    open override class var kerasClassName: String { "CategoryEncoding" }

    public enum OutputMode: String, CaseIterable, ConfigRepresentable, Sendable {
        case oneHot = "one_hot", multiHot = "multi_hot", count

        /// Keras also reads `binary`, its old name for `multi_hot`.
        public init(configValue: JSONValue) throws {
            if configValue.stringValue?.lowercased() == "binary" { self = .multiHot; return }
            guard let text = configValue.stringValue, let mode = OutputMode(rawValue: text.lowercased()) else {
                throw ConfigMismatch("one of one_hot, multi_hot, count")
            }
            self = mode
        }
    }

    @Hyper("num_tokens", .size) public var numTokens: Int
    @Hyper("output_mode") public var outputMode: OutputMode = .multiHot
    /// Accepted, not written back: Keras's `get_config` leaves it out.
    @Hyper("sparse", .mustBeFalse("Keel has no sparse tensors"), written: false) public var sparse = false

    open override var acceptedCallArguments: Set<String> { ["count_weights"] }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let shape = try singleInput(inputShapes, rank: 1...2)
        if outputMode == .oneHot {
            return (shape.count > 1 && shape.last == 1 ? Array(shape.dropLast()) : shape) + [numTokens]
        }
        return Array(shape.dropLast()) + [numTokens]
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        encode(input, countWeights: nil)
    }

    open override func call(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> Tensor {
        let weights = arguments.tensor("count_weights")
        opCheck(weights == nil || outputMode == .count, "\(nameForMessages): count_weights needs output_mode 'count'")
        return encode(inputs[0], countWeights: weights)
    }

    private func encode(_ input: Tensor, countWeights: Tensor?) -> Tensor {
        let ids = input.int32Scalars
        var shape = input.shape
        if outputMode == .oneHot {
            if shape.count > 1 && shape.last == 1 { shape.removeLast() }
            var out = [Float](repeating: 0, count: ids.count * numTokens)
            for (i, id) in ids.enumerated() where id >= 0 && Int(id) < numTokens { out[i * numTokens + Int(id)] = 1 }
            return Tensor(shape: shape + [numTokens], scalars: out)
        }
        let length = shape.last ?? 1, samples = length == 0 ? 0 : ids.count / length
        let weights = countWeights?.cast(to: .float32).scalars
        opCheck(weights == nil || weights!.count == ids.count,
                "\(nameForMessages): count_weights of shape \(countWeights!.shape) for inputs of shape \(input.shape)")
        var out = [Float](repeating: 0, count: samples * numTokens)
        for s in 0..<samples {
            for j in 0..<length {
                let i = s * length + j, id = ids[i]
                guard id >= 0 && Int(id) < numTokens else { continue }
                let slot = s * numTokens + Int(id)
                switch outputMode {
                case .multiHot: out[slot] = 1
                default: out[slot] += weights?[i] ?? 1
                }
            }
        }
        return Tensor(shape: Array(shape.dropLast()) + [numTokens], scalars: out)
    }
}
