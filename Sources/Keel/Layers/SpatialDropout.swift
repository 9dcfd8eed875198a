/// Keras's `SpatialDropout1D`, `SpatialDropout2D` and `SpatialDropout3D`: Dropout that keeps or
/// drops whole feature maps. In training, each (sample, channel) pair is zeroed with probability
/// `rate` across all its positions and the kept ones are scaled by 1/(1 − rate); in inference
/// the input passes through. Seeded as Dropout is.
///
/// Keras's `get_config` for these writes only `rate`, `seed`, `name`, `dtype` (the variable
/// dtype's name, not a policy) and then `data_format`, and their constructors take nothing else.

/// Over (batch, steps, channels).
@Component(.layer)
open class SpatialDropout1D: Layer {
    open override class var kerasClassName: String { "SpatialDropout1D" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try singleInput(inputShapes, rank: 3...3, layout: "(batch, steps, channels)")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { return input.asFloats }
        return input.featureMapDropout(rate: rate, spatialAxes: [1], generator: seededGenerator ?? KeelRandom.generator)
    }

    open override var config: JSONObject { spatialDropoutConfig(super.config) }
}

/// Over (batch, height, width, channels), or channels first.
@Component(.layer)
open class SpatialDropout2D: Layer {
    open override class var kerasClassName: String { "SpatialDropout2D" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try singleInput(inputShapes, rank: 4...4, layout: dataFormat.imageLayout)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { return input.asFloats }
        return input.featureMapDropout(rate: rate, spatialAxes: dataFormat.spatialAxes(rank: 4),
                                       generator: seededGenerator ?? KeelRandom.generator)
    }

    open override var config: JSONObject { spatialDropoutConfig(super.config) }
}

/// Over (batch, depth, height, width, channels), or channels first.
@Component(.layer)
open class SpatialDropout3D: Layer {
    open override class var kerasClassName: String { "SpatialDropout3D" }
    /// Keras's `supports_masking`: the input's mask passes through.
    open override var supportsMasking: Bool { true }

    @Hyper("rate", .inRange(0...1)) public var rate: Double
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("data_format") public var dataFormat: DataFormat = .channelsLast
    private var seededGenerator: RandomGenerator?

    open override func didConfigure() {
        seededGenerator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    }

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        let layout = dataFormat == .channelsLast ? "(batch, depth, height, width, channels)"
            : "(batch, channels, depth, height, width)"
        return try singleInput(inputShapes, rank: 5...5, layout: layout)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training && rate > 0 else { return input.asFloats }
        return input.featureMapDropout(rate: rate, spatialAxes: dataFormat.spatialAxes(rank: 5),
                                       generator: seededGenerator ?? KeelRandom.generator)
    }

    open override var config: JSONObject { spatialDropoutConfig(super.config) }
}

extension Tensor {
    /// Inverted dropout with one mask value per sample and channel: the mask has size 1 on the
    /// spatial axes, so a feature map is kept or dropped whole.
    func featureMapDropout(rate: Double, spatialAxes: [Int], generator: RandomGenerator) -> Tensor {
        let x = asFloats
        if rate >= 1 { return x * 0 }
        var maskShape = shape
        for axis in spatialAxes { maskShape[axis] = 1 }
        let keep = Float(1 - rate)
        return x * generator.bernoulli(maskShape, probability: keep, value: 1 / keep)
    }
}

extension Layer {
    /// The config the spatial dropouts write, from the one the base and their declarations give.
    fileprivate func spatialDropoutConfig(_ declared: JSONObject) -> JSONObject {
        var config: JSONObject = ["rate": declared["rate"] ?? .null, "seed": declared["seed"] ?? .null,
                                  "name": .string(name), "dtype": "float32"]
        if let dataFormat = declared["data_format"] { config["data_format"] = dataFormat }
        return config
    }
}
