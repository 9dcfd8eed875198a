/// Keras's `RandomContrast`: in training each image's channels are spread about their mean
/// (over height and width) by one factor per image drawn from [1 − lower, 1 + upper], then
/// clipped to `value_range`; in inference the input passes through unchanged.
@Component(.layer)
open class RandomContrast: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "RandomContrast" }

    @Hyper("factor", RandomContrast.factorCheck) public var factor: JSONValue
    @Hyper("value_range", RandomContrast.valueRangeCheck) public var valueRange: JSONValue = [0, 255]
    @Hyper("seed") public var seed: Int? = nil

    static let factorCheck = HyperCheck<JSONValue>("a number in [0, 1] or a pair of numbers overlapping it") {
        KerasFactor.fitsBounds($0, low: 0, high: 1)
    }
    static let valueRangeCheck = HyperCheck<JSONValue>("a list of two numbers") {
        $0.arrayValue?.count == 2 && KerasFactor.numbers($0) != nil
    }

    open override func didConfigure() {
        factor = KerasFactor.range(factor, bounds: (.int(0), .int(1)))
    }

    open override var usesTrainingFlag: Bool { true }
    /// Inference returns the input itself, integers included, as Keras does.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try imageInput(inputShapes)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training else { return input }
        let bounds = KerasFactor.numbers(factor) ?? [0, 0], range = KerasFactor.numbers(valueRange) ?? [0, 255]
        return transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let factors = uniforms(images.shape[0], 1 - bounds[0], 1 + bounds[1], seed: seed)
            let mean = images.mean(axes: [1, 2], keepDims: true)
            let spread = (images - mean) * Tensor(shape: [images.shape[0], 1, 1, 1], scalars: factors) + mean
            return spread.maximum(Tensor(Float(range[0]))).minimum(Tensor(Float(range[1])))
        }
    }
}

/// Keras's `RandomBrightness`: in training each image gets one delta drawn from `factor` times
/// the width of `value_range` added to every value, then clipped to `value_range`; in inference
/// the input passes through unchanged. Keras writes `value_range` sorted.
@Component(.layer)
open class RandomBrightness: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "RandomBrightness" }

    @Hyper("factor", RandomBrightness.factorCheck) public var factor: JSONValue
    @Hyper("value_range", RandomContrast.valueRangeCheck) public var valueRange: JSONValue = [0, 255]
    @Hyper("seed") public var seed: Int? = nil

    static let factorCheck = HyperCheck<JSONValue>("a number in [-1, 1] or a pair of numbers overlapping it") {
        KerasFactor.fitsBounds($0, low: -1, high: 1)
    }

    open override func didConfigure() {
        factor = KerasFactor.range(factor, bounds: (.int(-1), .int(1)))
        if let items = valueRange.arrayValue, let numbers = KerasFactor.numbers(valueRange), numbers[1] < numbers[0] {
            valueRange = .array(items.reversed())
        }
    }

    open override var usesTrainingFlag: Bool { true }
    /// Inference returns the input itself, integers included, as Keras does.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try imageInput(inputShapes)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training else { return input }
        let bounds = KerasFactor.numbers(factor) ?? [0, 0], range = KerasFactor.numbers(valueRange) ?? [0, 255]
        return transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let deltas = uniforms(images.shape[0], bounds[0], bounds[1], seed: seed).map { $0 * Float(range[1] - range[0]) }
            let brightened = images + Tensor(shape: [images.shape[0], 1, 1, 1], scalars: deltas)
            return brightened.maximum(Tensor(Float(range[0]))).minimum(Tensor(Float(range[1])))
        }
    }
}
