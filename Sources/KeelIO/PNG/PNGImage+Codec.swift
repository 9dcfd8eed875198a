internal import CPNG

/// PNG files through libpng's simplified API (png_image), which reports errors in a message
/// buffer instead of longjmp-ing through Swift frames.
extension PNGImage {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The empty IEND chunk (length, type, CRC) that closes every PNG.
    static let endChunk: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    /// Reads the PNG file at `path`: any color type and bit depth. Palette images come back as
    /// RGB or RGBA, 1/2/4-bit images as 8-bit; 16-bit images keep 16 bits.
    public static func read(_ path: String) throws -> PNGImage {
        try read(bytes: FileBytes.read(path, what: "PNG file"), name: path)
    }

    /// Reads the PNG at `path`, demanding a channel count and bit depth (nil matches any).
    public static func read(_ path: String, channels: Int?, bitDepth: Int? = nil) throws -> PNGImage {
        let image = try read(path)
        if let channels, channels != image.channels {
            throw KeelError(path, expected: "a PNG with \(channels) channels",
                            found: "\(image.channels) channels (\(image.width) x \(image.height))")
        }
        if let bitDepth, bitDepth != image.bitDepth {
            throw KeelError(path, expected: "a \(bitDepth)-bit PNG", found: "a \(image.bitDepth)-bit PNG")
        }
        return image
    }

    /// Decodes the bytes of a PNG file; `name` identifies them in errors.
    ///
    /// libpng hands 16-bit images over as linear light (the PNG is assumed linear unless it says
    /// otherwise) with color premultiplied by alpha; Keel divides the alpha back out, which is
    /// exact for opaque and fully transparent-black pixels and within rounding elsewhere.
    public static func read(bytes: [UInt8], name: String) throws -> PNGImage {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "PNG signature 89 50 4e 47 0d 0a 1a 0a", found: "an empty file")
        }
        guard bytes.starts(with: signature.prefix(bytes.count)), bytes.count > signature.count else {
            let found = bytes.count <= signature.count && bytes.starts(with: signature.prefix(bytes.count))
                ? "the file ending after \(bytes.count) bytes (truncated)"
                : "bytes \(Gzip.hexPrefix(bytes)) (not a PNG file)"
            throw KeelError(name, expected: "PNG signature 89 50 4e 47 0d 0a 1a 0a", found: found)
        }
        let image = try bytes.withUnsafeBytes { raw -> PNGImage in
            var image = png_image()
            image.version = keel_png_image_version()
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) != 0 else {
                throw KeelError(name, expected: "a readable PNG header", found: "libpng: \(message(of: &image))")
            }
            let channelFlags = keel_png_format_flag_alpha() | keel_png_format_flag_color()
            let isSixteenBit = image.format & keel_png_format_flag_linear() != 0
            image.format = image.format & (channelFlags | keel_png_format_flag_linear())
            let channels = (image.format & keel_png_format_flag_color() != 0 ? 3 : 1)
                + (image.format & keel_png_format_flag_alpha() != 0 ? 1 : 0)
            let width = Int(image.width), height = Int(image.height)
            let byteCount = keel_png_image_size(&image)
            try checkPlausible(byteCount: byteCount, fileSize: bytes.count, width: width, height: height, name: name)

            func finish(into buffer: UnsafeMutableRawPointer) throws {
                guard png_image_finish_read(&image, nil, buffer, 0, nil) != 0 else {
                    throw KeelError(name, expected: "complete PNG image data",
                                    found: "libpng: \(message(of: &image))")
                }
            }
            let samples: Samples
            if isSixteenBit {
                var values = try [UInt16](unsafeUninitializedCapacity: byteCount / 2) { buffer, initialized in
                    if let base = buffer.baseAddress { try finish(into: base) }
                    initialized = byteCount / 2
                }
                if channels % 2 == 0 { unpremultiply(&values, channels: channels) }
                samples = .sixteenBit(values)
            } else {
                samples = .eightBit(try [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
                    if let base = buffer.baseAddress { try finish(into: base) }
                    initialized = byteCount
                })
            }
            return PNGImage(validatedWidth: width, height: height, channels: channels, samples: samples)
        }
        // libpng stops once it has the pixels, so a file cut off after its last IDAT chunk
        // would otherwise pass for a whole one.
        guard bytes.suffix(endChunk.count).elementsEqual(endChunk) || containsEndChunk(bytes) else {
            throw KeelError(name, expected: "the IEND chunk that ends every PNG",
                            found: "the file ending without it after \(bytes.count) bytes (truncated)")
        }
        return image
    }

    /// Some writers leave bytes after IEND; readers ignore them, and so does Keel.
    private static func containsEndChunk(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= endChunk.count else { return false }
        return (0...(bytes.count - endChunk.count)).reversed().contains { start in
            bytes[start..<(start + endChunk.count)].elementsEqual(endChunk)
        }
    }

    /// Writes the image to `path` as a PNG, atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }

    /// The bytes of a PNG file holding this image: 8-bit images as 8-bit sRGB PNGs, 16-bit gray
    /// and RGB images as 16-bit linear PNGs (gAMA 1.0) with the samples unchanged.
    public func encoded() throws -> [UInt8] {
        var image = png_image()
        image.version = keel_png_image_version()
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = (channels >= 3 ? keel_png_format_flag_color() : 0)
            | (channels % 2 == 0 ? keel_png_format_flag_alpha() : 0)
            | (bitDepth == 16 ? keel_png_format_flag_linear() : 0)
        defer { png_image_free(&image) }

        func write(_ raw: UnsafeRawBufferPointer) throws -> [UInt8] {
            var capacity = keel_png_image_png_size_max(&image)
            var encoded = [UInt8](repeating: 0, count: capacity)
            let succeeded = encoded.withUnsafeMutableBytes { output in
                png_image_write_to_memory(&image, output.baseAddress, &capacity, 0, raw.baseAddress, 0, nil)
            }
            guard succeeded != 0 else {
                throw KeelError("PNG image \(width) x \(height) x \(channels)", expected: "to be encoded",
                                found: "libpng: \(Self.message(of: &image))")
            }
            encoded.removeSubrange(capacity...)
            return encoded
        }
        switch samples {
        case .eightBit(let values):
            return try values.withUnsafeBytes(write)
        case .sixteenBit(let values):
            // libpng takes 16-bit alpha images premultiplied and would divide every color by
            // alpha on the way out, so a straight-alpha image cannot pass through it intact.
            guard channels % 2 == 1 else {
                throw KeelError("PNG image \(width) x \(height) x \(channels)",
                                expected: "a 16-bit image without alpha (gray or RGB), or 8-bit samples",
                                found: "16-bit samples with an alpha channel")
            }
            return try values.withUnsafeBytes(write)
        }
    }

    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "unknown error" : text
    }

    /// A PNG cannot expand without bound: deflate stores at most ~1032 bytes per input byte and
    /// the widest conversion (1-bit palette to 16-bit RGBA would be 64 bits per bit) is far
    /// below the factor allowed here. A header promising more is damaged or hostile, and must
    /// not make us allocate gigabytes.
    private static func checkPlausible(byteCount: Int, fileSize: Int, width: Int, height: Int, name: String) throws {
        let (limit, overflow) = fileSize.multipliedReportingOverflow(by: 1032 * 64)
        guard overflow || byteCount <= max(limit, 1 << 20) else {
            throw KeelError(name, expected: "image dimensions a \(fileSize)-byte PNG can hold",
                            found: "\(width) x \(height) (\(byteCount) bytes decoded; the header is damaged)")
        }
    }

    /// Straight alpha from libpng's premultiplied 16-bit samples, rounding to nearest.
    private static func unpremultiply(_ values: inout [UInt16], channels: Int) {
        values.withUnsafeMutableBufferPointer { buffer in
            for pixel in stride(from: 0, to: buffer.count, by: channels) {
                let alpha = UInt32(buffer[pixel + channels - 1])
                guard alpha != 0 && alpha != 65535 else { continue }
                for channel in pixel..<(pixel + channels - 1) {
                    let straight = (UInt32(buffer[channel]) * 65535 + alpha / 2) / alpha
                    buffer[channel] = UInt16(min(straight, 65535))
                }
            }
        }
    }
}
