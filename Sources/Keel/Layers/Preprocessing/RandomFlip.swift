/// Keras's `RandomFlip`: in training each image is flipped with probability ½ (one draw per
/// image: `horizontal_and_vertical` flips both ways or neither); in inference the input passes
/// through unchanged (as float32, as Keras casts it).
@Component(.layer)
open class RandomFlip: ImagePreprocessingLayer {
    open override class var kerasClassName: String { "RandomFlip" }

    public enum Mode: String, CaseIterable, ConfigRepresentable, Sendable {
        case horizontal, vertical
        case horizontalAndVertical = "horizontal_and_vertical"
    }

    @Hyper("seed") public var seed: Int? = nil
    @Hyper("mode") public var mode: Mode = .horizontalAndVertical

    open override var usesTrainingFlag: Bool { true }

    open override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] {
        try imageInput(inputShapes)
    }

    open override func call(_ input: Tensor, training: Bool) -> Tensor {
        // Keras casts to float32 before it decides whether to flip.
        guard training else { return input.cast(to: .float32) }
        return transformingImages(input.cast(to: .float32), format: dataFormat) { images in
            let (batch, height, width) = (images.shape[0], images.shape[1], images.shape[2])
            let flips = uniforms(batch, 0, 1, seed: seed).map { $0 <= 0.5 }
            let horizontal = mode != .vertical, vertical = mode != .horizontal
            var plan = ImageResampling(batch: batch, inputHeight: height, inputWidth: width,
                                       outputHeight: height, outputWidth: width, taps: 1)
            for b in 0..<batch {
                for y in 0..<height {
                    for x in 0..<width {
                        let sy = flips[b] && vertical ? height - 1 - y : y
                        let sx = flips[b] && horizontal ? width - 1 - x : x
                        let t = (b * height + y) * width + x
                        plan.sources[t] = Int32(sy * width + sx)
                        plan.weights[t] = 1
                    }
                }
            }
            return plan.apply(images)
        }
    }
}
