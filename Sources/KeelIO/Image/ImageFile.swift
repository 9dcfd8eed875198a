/// An image file decoded to 8-bit samples, row-major, channels last (HWC).
public struct DecodedImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        let (area, overflowArea) = width.multipliedReportingOverflow(by: height)
        let (count, overflow) = area.multipliedReportingOverflow(by: channels)
        guard width > 0, height > 0, (1...4).contains(channels), !overflowArea, !overflow, count == pixels.count else {
            throw KeelError("DecodedImage", expected: "width x height x channels (1 to 4) samples",
                            found: "\(pixels.count) samples for \(width) x \(height) x \(channels)")
        }
        self.init(validatedWidth: width, height: height, channels: channels, pixels: pixels)
    }

    init(validatedWidth width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}

/// Image files of any format Keel reads, recognised by their first bytes (not their names), as
/// TensorFlow's `decode_image` does: PNG through libpng, JPEG through libjpeg-turbo. GIF and BMP,
/// which Keras also lists, are recognised and refused with a clear error.
public enum ImageFile {
    public enum Format: String, Sendable {
        case png = "PNG", jpeg = "JPEG", gif = "GIF", bmp = "BMP"
    }

    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.starts(with: PNGImage.signature) { return .png }
        if bytes.starts(with: JPEGImage.signature) { return .jpeg }
        if bytes.starts(with: Array("GIF8".utf8)) { return .gif }
        if bytes.starts(with: Array("BM".utf8)) { return .bmp }
        return nil
    }

    /// Reads the image file at `path` with `channels` samples per pixel (1, 3 or 4).
    public static func read(_ path: String, channels: Int) throws -> DecodedImage {
        try decode(bytes: FileBytes.read(path, what: "image file"), name: path, channels: channels)
    }

    /// Decodes an image file's bytes to `channels` samples per pixel (1 gray, 3 RGB, 4 RGBA) the
    /// way TensorFlow's `decode_image(channels:)` converts: gray is repeated into RGB; alpha is
    /// dropped, not composited; a missing alpha is opaque; RGB becomes gray by libpng's fixed-point
    /// Rec. 601 weights (PNG) or the stored luma (JPEG); 16-bit samples keep their high byte.
    public static func decode(bytes: [UInt8], name: String, channels: Int) throws -> DecodedImage {
        guard [1, 3, 4].contains(channels) else {
            throw KeelError("image channels for \(name)", expected: "1 (grayscale), 3 (RGB) or 4 (RGBA)", found: "\(channels)")
        }
        switch format(of: bytes) {
        case .png:
            let image = try PNGImage.read(bytes: bytes, name: name)
            let samples: [UInt8]
            switch image.samples {
            case .eightBit(let values): samples = values
            case .sixteenBit(let values): samples = values.map { UInt8(truncatingIfNeeded: $0 >> 8) }
            }
            let source = DecodedImage(validatedWidth: image.width, height: image.height, channels: image.channels, pixels: samples)
            return convert(source, to: channels)
        case .jpeg:
            // libjpeg converts to gray or RGB itself; RGBA is RGB made opaque. TensorFlow refuses
            // four channels for a JPEG, but Keras's Pillow path gives RGBA, and refusing a folder
            // of JPEGs for color_mode "rgba" would help no one.
            let image = try JPEGImage.decode(bytes: bytes, name: name, channels: channels == 1 ? 1 : 3)
            let source = DecodedImage(validatedWidth: image.width, height: image.height, channels: image.channels, pixels: image.pixels)
            return convert(source, to: channels)
        case .gif, .bmp:
            let found = format(of: bytes)!.rawValue
            throw KeelError(name, expected: "a PNG or JPEG image (unsupported image format)",
                            found: "a \(found) file, which Keel does not decode; convert it to PNG")
        case nil:
            let found = bytes.isEmpty ? "an empty file" : "bytes \(Gzip.hexPrefix(bytes)) (not an image file)"
            throw KeelError(name, expected: "a PNG or JPEG image", found: found)
        }
    }

    /// TensorFlow's channel conversions (libpng's transformations in its PNG decoder).
    static func convert(_ image: DecodedImage, to channels: Int) -> DecodedImage {
        let from = image.channels
        guard from != channels else { return image }
        let pixelCount = image.width * image.height
        let hasColor = from >= 3
        let pixels = [UInt8](unsafeUninitializedCapacity: pixelCount &* channels) { output, initialized in
            image.pixels.withUnsafeBufferPointer { input in
                for pixel in 0..<pixelCount {
                    let source = pixel &* from, target = pixel &* channels
                    let red = input[source]
                    let green = hasColor ? input[source &+ 1] : red
                    let blue = hasColor ? input[source &+ 2] : red
                    switch channels {
                    case 1:
                        output[target] = hasColor ? grayLevel(red: red, green: green, blue: blue) : red
                    default:
                        output[target] = red
                        output[target &+ 1] = green
                        output[target &+ 2] = blue
                        if channels == 4 {
                            let hasAlpha = from == 2 || from == 4
                            output[target &+ 3] = hasAlpha ? input[source &+ from &- 1] : 255
                        }
                    }
                }
            }
            initialized = pixelCount &* channels
        }
        return DecodedImage(validatedWidth: image.width, height: image.height, channels: channels, pixels: pixels)
    }

    /// libpng's `png_set_rgb_to_gray(1, 0.299, 0.587)` as TensorFlow calls it: weights in 1/32768
    /// (truncated from 0.299 and 0.587, blue taking the rest), the sum truncated.
    @inline(__always)
    static func grayLevel(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        let sum = 9797 &* UInt32(red) &+ 19234 &* UInt32(green) &+ 3737 &* UInt32(blue)
        return UInt8(truncatingIfNeeded: sum >> 15)
    }
}
