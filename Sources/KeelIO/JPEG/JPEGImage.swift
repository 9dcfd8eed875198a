internal import CTurboJPEG

/// A decoded JPEG: 8-bit samples, row-major, channels last (HWC), 1 (gray) or 3 (RGB) channels.
/// Decoding goes through libjpeg-turbo's TurboJPEG API with the settings TensorFlow's
/// `decode_jpeg` uses by default (fast integer IDCT, smooth chroma upsampling), so pixels agree
/// with Keras's image loading (which is not quite what Pillow's accurate IDCT gives).
public struct JPEGImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public let pixels: [UInt8]

    /// The first bytes of every JPEG file (SOI marker and the next marker's lead byte).
    public static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// Reads the JPEG file at `path`. `channels` asks for 1 (gray) or 3 (RGB) samples per pixel;
    /// nil keeps the file's own (1 for a grayscale JPEG, 3 otherwise). Color to gray takes the
    /// luma (Y) the JPEG stores, as libjpeg and TensorFlow do.
    public static func read(_ path: String, channels: Int? = nil) throws -> JPEGImage {
        try decode(bytes: FileBytes.read(path, what: "JPEG file"), name: path, channels: channels)
    }

    /// Decodes the bytes of a JPEG file; `name` identifies them in errors.
    public static func decode(bytes: [UInt8], name: String, channels: Int? = nil) throws -> JPEGImage {
        if let channels, channels != 1 && channels != 3 {
            throw KeelError("JPEG channels for \(name)", expected: "1 (grayscale) or 3 (RGB)", found: "\(channels)")
        }
        guard bytes.count > signature.count, bytes.starts(with: signature) else {
            let found = bytes.isEmpty ? "an empty file"
                : bytes.count <= signature.count && signature.starts(with: bytes)
                    ? "the file ending after \(bytes.count) bytes (truncated)"
                    : "bytes \(Gzip.hexPrefix(bytes)) (not a JPEG file)"
            throw KeelError(name, expected: "JPEG signature ff d8 ff", found: found)
        }
        guard let handle = tjInitDecompress() else {
            throw KeelError(name, expected: "libjpeg-turbo to start decoding", found: "tjInitDecompress failed")
        }
        defer { tjDestroy(handle) }

        return try bytes.withUnsafeBufferPointer { input -> JPEGImage in
            guard let base = input.baseAddress else {
                throw KeelError(name, expected: "JPEG data", found: "an empty file")
            }
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            guard tjDecompressHeader3(handle, base, UInt(input.count), &width, &height, &subsampling, &colorspace) == 0 else {
                throw KeelError(name, expected: "a readable JPEG header", found: "libjpeg-turbo: \(message(handle))")
            }
            if colorspace == keel_tj_colorspace_cmyk() || colorspace == keel_tj_colorspace_ycck() {
                throw KeelError(name, expected: "a grayscale or color (YCbCr/RGB) JPEG",
                                found: "a CMYK JPEG, which Keel does not convert")
            }
            let isGray = subsampling == keel_tj_subsampling_gray()
            let outputChannels = channels ?? (isGray ? 1 : 3)
            let byteCount = try plausibleByteCount(width: Int(width), height: Int(height), channels: outputChannels,
                                                   fileSize: input.count, name: name)
            let format = outputChannels == 1 ? keel_tj_pixel_format_gray() : keel_tj_pixel_format_rgb()
            let pixels = try [UInt8](unsafeUninitializedCapacity: byteCount) { output, initialized in
                let status = tjDecompress2(handle, base, UInt(input.count), output.baseAddress, width,
                                           0, height, format, keel_tj_flags_tensorflow())
                guard status == 0 else {
                    throw KeelError(name, expected: "complete JPEG image data",
                                    found: "libjpeg-turbo: \(message(handle)) (corrupt or truncated)")
                }
                initialized = byteCount
            }
            return JPEGImage(width: Int(width), height: Int(height), channels: outputChannels, pixels: pixels)
        }
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        let message = String(cString: text)
        return message.isEmpty ? "unknown error" : message
    }

    /// Entropy coding spends at least one bit on every 8 x 8 block of the first component, so a
    /// file of n bytes holds at most 8n blocks; a header promising far more pixels is damaged or
    /// hostile, and must not make us allocate gigabytes before the decoder notices.
    private static func plausibleByteCount(width: Int, height: Int, channels: Int, fileSize: Int,
                                           name: String) throws -> Int {
        guard width > 0, height > 0 else {
            throw KeelError(name, expected: "JPEG dimensions of at least 1 x 1", found: "\(width) x \(height)")
        }
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        let (bitBudget, overflow) = fileSize.multipliedReportingOverflow(by: 8)
        guard overflow || blocks <= max(bitBudget, 1 << 14) else {
            throw KeelError(name, expected: "image dimensions a \(fileSize)-byte JPEG can hold",
                            found: "\(width) x \(height) (the header is damaged)")
        }
        return width * height * channels
    }
}
