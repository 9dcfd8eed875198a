/// What `tf.summary.image` stores for an NHWC batch: the first `maxOutputs` images as 8-bit
/// PNGs, float values mapped as `tf.image.convert_image_dtype(…, uint8, saturate=True)` does
/// (×255.5, clamped to 0...255, truncated), with the batch's width and height.
enum ImageSummary {
    static func pngImages(_ images: Tensor, maxOutputs: Int, tag: String) throws -> (width: Int, height: Int, png: [[UInt8]]) {
        let shape = images.shape
        guard shape.count == 4 else {
            throw KeelError("image summary '\(tag)'", expected: "an NHWC tensor (rank 4)", found: "shape \(shape)")
        }
        let (count, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        guard [1, 3, 4].contains(channels) else {
            throw KeelError("image summary '\(tag)' of shape \(shape)", expected: "1, 3 or 4 channels", found: "\(channels)")
        }
        guard maxOutputs >= 0 else {
            throw KeelError("image summary '\(tag)' maxOutputs", expected: "a count ≥ 0", found: "\(maxOutputs)")
        }
        let kept = min(count, maxOutputs)
        let size = height * width * channels
        guard kept > 0, size > 0 else { return (width, height, []) }
        let values = images.scalars
        return (width, height, try (0..<kept).map { index in
            let pixels = values[index * size..<(index + 1) * size].map { value -> UInt8 in
                let scaled = value * 255.5
                return scaled >= 255 ? 255 : scaled > 0 ? UInt8(scaled) : 0  // NaN lands on 0
            }
            return try PNGImage(width: width, height: height, channels: channels, pixels: pixels).encoded()
        })
    }
}
