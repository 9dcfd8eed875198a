import Foundation

/// What RandomRotation, RandomZoom and RandomTranslation share: in training each image is
/// resampled through a random affine transform (Keras's `affine_transform`: `fill_mode`,
/// `fill_value`, `interpolation`); in inference the input passes through unchanged.
open class RandomAffineLayer: ImagePreprocessingLayer {
    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try imageInput(inputShapes)
    }

    /// One transform of 8 numbers per image of a (batch, height, width) batch; Keras's layout.
    open func transforms(batch: Int, height: Int, width: Int) -> [[Float]] {
        OpCheck.fail("\(type(of: self)) must override transforms(batch:height:width:)")
    }

    /// The sampling settings, which each subclass declares in Keras's config order.
    open var sampling: (fillMode: ImageFillMode, fillValue: Double, interpolation: ImageInterpolation) {
        OpCheck.fail("\(type(of: self)) must override sampling")
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        // Keras casts to float32 before it decides whether to transform.
        guard training else { return input.cast(to: .float32) }
        return transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let (batch, height, width) = (images.shape[0], images.shape[1], images.shape[2])
            let settings = sampling
            return ImageResampling.affine(transforms(batch: batch, height: height, width: width), height: height, width: width,
                                          interpolation: settings.interpolation, fillMode: settings.fillMode)
                .apply(images, fillValue: Float(settings.fillValue))
        }
    }
}

/// Keras's `RandomRotation`: a rotation about the image centre by an angle drawn uniformly from
/// `factor` · 360° (`factor` f alone means (−f, f); Keras writes the pair).
@Component(.layer)
open class RandomRotation: RandomAffineLayer {
    open override class var kerasClassName: String { "RandomRotation" }

    @Hyper("factor", RandomRotation.factorCheck) public var factor: JSONValue
    @Hyper("fill_mode") public var fillMode: ImageFillMode = .reflect
    @Hyper("fill_value") public var fillValue = 0.0
    @Hyper("interpolation") public var interpolation: ImageInterpolation = .bilinear
    @Hyper("seed") public var seed: Int? = nil

    static let factorCheck = HyperCheck<JSONValue>("a number in [-1, 1] or a pair of numbers overlapping it") {
        KerasFactor.fitsBounds($0, low: -1, high: 1)
    }

    open override func didConfigure() {
        factor = KerasFactor.range(factor, bounds: (.int(-1), .int(1)))
    }

    open override var sampling: (fillMode: ImageFillMode, fillValue: Double, interpolation: ImageInterpolation) {
        (fillMode, fillValue, interpolation)
    }

    open override func transforms(batch: Int, height: Int, width: Int) -> [[Float]] {
        let bounds = KerasFactor.numbers(factor) ?? [0, 0]
        let angles = uniforms(batch, bounds[0] * 360, bounds[bounds.count - 1] * 360, seed: seed)
        let cx = 0.5 * Double(width - 1), cy = 0.5 * Double(height - 1)
        return angles.map { degrees in
            let theta = Double(degrees) * Double.pi / 180
            let (c, s) = (cos(theta), sin(theta))
            let (a0, a1, b0, b1) = (c, -s, s, c)
            return [a0, a1, cx - cx * a0 - cy * a1, b0, b1, cy - cx * b0 - cy * b1, 0, 0].map { Float($0) }
        }
    }
}

/// Keras's `RandomZoom`: each image scaled about its centre by 1 + a factor drawn from
/// `height_factor` (and `width_factor`, else the same draw); positive factors zoom out. Keras
/// writes the factors as they were given.
@Component(.layer)
open class RandomZoom: RandomAffineLayer {
    open override class var kerasClassName: String { "RandomZoom" }

    @Hyper("height_factor", KerasFactor.check(-1...1, lowOpen: true)) public var heightFactor: JSONValue
    @Hyper("width_factor", HyperCheck("null or a number or a list of two numbers in (-1, 1]") { value in
        value.map { KerasFactor.check(-1...1, lowOpen: true).holds($0) } ?? true
    }) public var widthFactor: JSONValue? = nil
    @Hyper("fill_mode") public var fillMode: ImageFillMode = .reflect
    @Hyper("interpolation") public var interpolation: ImageInterpolation = .bilinear
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("fill_value") public var fillValue = 0.0

    open override var sampling: (fillMode: ImageFillMode, fillValue: Double, interpolation: ImageInterpolation) {
        (fillMode, fillValue, interpolation)
    }

    open override func transforms(batch: Int, height: Int, width: Int) -> [[Float]] {
        let (hLow, hHigh) = KerasFactor.symmetricRange(heightFactor)
        let heightZooms = uniforms(batch, 1 + hLow, 1 + hHigh, seed: seed)
        let widthZooms: [Float]
        if let widthFactor {
            let (wLow, wHigh) = KerasFactor.symmetricRange(widthFactor)
            widthZooms = uniforms(batch, 1 + wLow, 1 + wHigh, seed: seed)
        } else {
            widthZooms = heightZooms
        }
        return zip(widthZooms, heightZooms).map { zx, zy in
            [zx, 0, (Float(width) - 1) / 2 * (1 - zx), 0, zy, (Float(height) - 1) / 2 * (1 - zy), 0, 0]
        }
    }
}

/// Keras's `RandomTranslation`: each image shifted by fractions of its height and width drawn
/// from `height_factor` and `width_factor`. Keras writes the factors as they were given.
@Component(.layer)
open class RandomTranslation: RandomAffineLayer {
    open override class var kerasClassName: String { "RandomTranslation" }

    @Hyper("height_factor", KerasFactor.check(-1...1)) public var heightFactor: JSONValue
    @Hyper("width_factor", KerasFactor.check(-1...1)) public var widthFactor: JSONValue
    @Hyper("fill_mode") public var fillMode: ImageFillMode = .reflect
    @Hyper("interpolation") public var interpolation: ImageInterpolation = .bilinear
    @Hyper("seed") public var seed: Int? = nil
    @Hyper("fill_value") public var fillValue = 0.0

    open override var sampling: (fillMode: ImageFillMode, fillValue: Double, interpolation: ImageInterpolation) {
        (fillMode, fillValue, interpolation)
    }

    open override func transforms(batch: Int, height: Int, width: Int) -> [[Float]] {
        let (hLow, hHigh) = KerasFactor.symmetricRange(heightFactor)
        let (wLow, wHigh) = KerasFactor.symmetricRange(widthFactor)
        let dy = uniforms(batch, hLow, hHigh, seed: seed).map { $0 * Float(height) }
        let dx = uniforms(batch, wLow, wHigh, seed: seed).map { $0 * Float(width) }
        return zip(dx, dy).map { tx, ty in [1, 0, -tx, 0, 1, -ty, 0, 0] }
    }
}
