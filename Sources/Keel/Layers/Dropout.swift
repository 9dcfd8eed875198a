/// Keras's `Dropout`: in training, zeroes each value with probability `rate` and scales the kept
/// ones by 1/(1 − rate); in inference it passes the input through. A `seed` gives the layer its
/// own generator (reproducible masks); otherwise masks come from `KeelRandom.generator`.
/// `noiseShape` shares one mask value along the axes where it is 1 (nil entries take the
/// input's size).
open class Dropout: Layer {
    open override class var kerasClassName: String { "Dropout" }

    public let rate: Double
    public let noiseShape: [Int?]?
    public let seed: Int?
    private let seededGenerator: RandomGenerator?

    public init(rate: Double, noiseShape: [Int?]? = nil, seed: Int? = nil, name: String? = nil, trainable: Bool = true) {
        precondition(rate >= 0 && rate <= 1, "Dropout: rate must be in [0, 1], got \(rate)")
        self.rate = rate
        self.noiseShape = noiseShape
        self.seed = seed
        self.seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
        super.init(name: name, trainable: trainable)
    }

    public convenience init(config: JSONObject) throws {
        let reader = ConfigReader.layer(config, "Dropout")
        let base = try reader.layerBase()
        let rate = try reader.double("rate")
        guard rate >= 0 && rate <= 1 else {
            throw KeelError("\(reader.owner): field 'rate'", expected: "a number in [0, 1]", found: "\(rate)")
        }
        self.init(rate: rate, noiseShape: try reader.optionalInts("noise_shape"), seed: try reader.optionalInt("seed"),
                  name: base.name, trainable: base.trainable)
        activityRegularizer = base.activityRegularizer
    }

    open override var usesTrainingFlag: Bool { true }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { return input }
        let generator = seededGenerator ?? KeelRandom.generator
        guard let noiseShape else { return input.dropout(rate: Float(rate), generator: generator) }
        precondition(noiseShape.count == input.rank,
                     "Dropout '\(name)': noise shape \(noiseShape) does not match the input's rank (shape \(input.shape))")
        if rate >= 1 { return input * 0 }
        let maskShape = noiseShape.enumerated().map { axis, size in size ?? input.shape[axis] }
        let keep = Float(1 - rate)
        return input * (generator.bernoulli(maskShape, probability: keep) * (1 / keep))
    }

    open override var config: JSONObject {
        var object = super.config
        object["rate"] = .double(rate)
        object["seed"] = seed.map { .int($0) } ?? .null
        object["noise_shape"] = noiseShape.map { .from($0) } ?? .null
        return object
    }
}
