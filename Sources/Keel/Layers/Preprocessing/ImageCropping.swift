/// The crops Resizing, CenterCrop and RandomCrop share, on channels-last batches.
enum ImageCropping {
    /// The centred box of the target's aspect ratio (Keras's `crop_to_aspect_ratio` and
    /// `smart_resize`): (top, left, height, width).
    static func aspectBox(height: Int, width: Int, target: (Int, Int)) -> (Int, Int, Int, Int) {
        let cropHeight = Swift.max(Swift.min(height, Int(Double(width * target.0) / Double(target.1))), 1)
        let cropWidth = Swift.max(Swift.min(width, Int(Double(height * target.1) / Double(target.0))), 1)
        return (Int(Double(height - cropHeight) / 2), Int(Double(width - cropWidth) / 2), cropHeight, cropWidth)
    }

    /// The margins Keras's `pad_to_aspect_ratio` puts on each side (top and bottom, left and
    /// right): half of what the short axis lacks for the target's aspect ratio, rounded down; only
    /// one axis is padded.
    static func aspectMargins(height: Int, width: Int, target: (Int, Int)) -> (top: Int, left: Int) {
        let padHeight = Swift.max(height, Int(Double(width * target.0) / Double(target.1)))
        let padWidth = Swift.max(width, Int(Double(height * target.1) / Double(target.0)))
        let top = Int(Double(padHeight - height) / 2), left = Int(Double(padWidth - width) / 2)
        return top > 0 ? (top, 0) : (0, left)
    }

    /// The (height, width) box at (top, left) of every image.
    static func crop(_ images: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        images.slice(begin: [0, top, left, 0], size: [images.shape[0], height, width, images.shape[3]])
    }

    /// Keras's `smart_resize`: the centred box of the target's aspect ratio, resized (bilinear).
    static func smartResize(_ images: Tensor, to target: (Int, Int)) -> Tensor {
        let (top, left, h, w) = aspectBox(height: images.shape[1], width: images.shape[2], target: target)
        let cropped = crop(images, top: top, left: left, height: h, width: w)
        return ImageResampling.resize(batch: images.shape[0], from: (h, w), to: target, interpolation: .bilinear).apply(cropped)
    }
}

/// Keras's `Resizing`: every image resized to (height, width) as `jax.image.resize` (half-pixel
/// centres; `antialias` widens the bilinear kernel when shrinking); `crop_to_aspect_ratio` first
/// crops the centred box of the target's aspect ratio, `pad_to_aspect_ratio` first pads both sides of the short axis with `fill_value`
/// (Keras's jax backend: the same margin on both sides, only `fill_mode` 'constant'). Integer images
/// come back rounded to integers, as in Keras.
@Component(.layer)
open class Resizing: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "Resizing" }

    @Hyper("height", .size) public var height: Int
    @Hyper("width", .size) public var width: Int
    @Hyper("interpolation") public var interpolation: ImageInterpolation = .bilinear
    @Hyper("crop_to_aspect_ratio") public var cropToAspectRatio = false
    @Hyper("pad_to_aspect_ratio") public var padToAspectRatio = false
    @Hyper("fill_mode", HyperCheck("constant (the only fill mode of Keras's resize)") { $0 == "constant" })
    public var fillMode = "constant"
    @Hyper("fill_value") public var fillValue = 0.0
    @Hyper("antialias") public var antialias = false

    open override func check() throws {
        try super.check()
        guard !(cropToAspectRatio && padToAspectRatio) else {
            throw KeelError("\(nameForMessages): fields 'crop_to_aspect_ratio' and 'pad_to_aspect_ratio'",
                            expected: "at most one of them true", found: "both true")
        }
    }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        var shape = try imageInput(inputShapes)
        let (h, w) = imageAxes(rank: shape.count)
        for axis in [h, w] where shape[axis] == 0 {
            throw invalidInput(expected: "images of at least one pixel", found: inputShapes)
        }
        (shape[h], shape[w]) = (height, width)
        return shape
    }

    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        let resized = transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            var source = images
            if cropToAspectRatio {
                let (top, left, h, w) = ImageCropping.aspectBox(height: images.shape[1], width: images.shape[2], target: (height, width))
                source = ImageCropping.crop(images, top: top, left: left, height: h, width: w)
            } else if padToAspectRatio {
                let (top, left) = ImageCropping.aspectMargins(height: images.shape[1], width: images.shape[2],
                                                             target: (height, width))
                source = images.padded([(0, 0), (top, top), (left, left), (0, 0)], value: Float(fillValue))
            }
            return ImageResampling.resize(batch: source.shape[0], from: (source.shape[1], source.shape[2]),
                                          to: (height, width), interpolation: interpolation,
                                          antialias: antialias).apply(source)
        }
        guard input.dtype != .float32 else { return resized }
        return Tensor(shape: resized.shape, scalars: resized.scalars.map { $0.rounded(.toNearestOrEven) }).cast(to: input.dtype)
    }
}

/// Keras's `CenterCrop`: the centred (height, width) box of every image; an image smaller than
/// that on either side is `smart_resize`d instead (its centred box of the target's aspect ratio,
/// resized).
@Component(.layer)
open class CenterCrop: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "CenterCrop" }

    @Hyper("height", .size) public var height: Int
    @Hyper("width", .size) public var width: Int

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        var shape = try imageInput(inputShapes)
        let (h, w) = imageAxes(rank: shape.count)
        for axis in [h, w] where shape[axis] == 0 {
            throw invalidInput(expected: "images of at least one pixel", found: inputShapes)
        }
        (shape[h], shape[w]) = (height, width)
        return shape
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let (inHeight, inWidth) = (images.shape[1], images.shape[2])
            guard inHeight >= height && inWidth >= width else {
                return ImageCropping.smartResize(images, to: (height, width))
            }
            return ImageCropping.crop(images, top: (inHeight - height) / 2, left: (inWidth - width) / 2, height: height, width: width)
        }
    }
}

/// Keras's `RandomCrop`: in training, a random (height, width) box of each batch (one box for
/// the whole batch, as Keras draws it); an input not larger on both sides is `smart_resize`d.
/// In inference Keras 3 returns the input unchanged (not cropped), and so does Keel: the
/// inferred output shape is the input's, the shape inference computes. A layer made without a
/// seed draws one, which its config then writes, as Keras does.
@Component(.layer)
open class RandomCrop: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "RandomCrop" }

    @Hyper("height", .size) public var height: Int
    @Hyper("width", .size) public var width: Int
    @Hyper("seed") public var seed: Int? = nil

    open override func didConfigure() {
        if seed == nil { seed = KeelRandom.generator.integer(below: 1 << 30) }
    }

    open override var usesTrainingFlag: Bool { true }
    /// Inference returns the input itself, integers included, as Keras does.
    open override func outputDType(for inputDTypes: [DType]) -> DType { inputDTypes[0] }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try imageInput(inputShapes)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        guard training else { return input }
        return transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let (inHeight, inWidth) = (images.shape[1], images.shape[2])
            guard inHeight > height && inWidth > width else { return ImageCropping.smartResize(images, to: (height, width)) }
            let starts = uniforms(2, 0, 1, seed: seed)
            let top = Swift.min(Int(starts[0] * Float(inHeight - height + 1)), inHeight - height)
            let left = Swift.min(Int(starts[1] * Float(inWidth - width + 1)), inWidth - width)
            return ImageCropping.crop(images, top: top, left: left, height: height, width: width)
        }
    }
}
