/// A PNG image in memory: row-major samples, channels last (HWC), 8 or 16 bits per sample.
/// Channels are 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA); alpha is straight, not
/// premultiplied. Reading and writing go through libpng (see PNGImage+Codec.swift).
public struct PNGImage: Equatable, Sendable {
    public enum Samples: Equatable, Sendable {
        case eightBit([UInt8])
        case sixteenBit([UInt16])
    }

    public let width: Int
    public let height: Int
    public let channels: Int
    public let samples: Samples

    public var bitDepth: Int {
        if case .sixteenBit = samples { return 16 }
        return 8
    }

    /// An 8-bit image from `width * height * channels` samples in HWC order.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        try Self.validate(width: width, height: height, channels: channels, sampleCount: pixels.count)
        self.init(validatedWidth: width, height: height, channels: channels, samples: .eightBit(pixels))
    }

    /// An 8-bit image from intensities in [0, 1]: values outside are clamped, NaN becomes 0,
    /// and each is rounded to the nearest of the 256 levels.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) throws {
        try Self.validate(width: width, height: height, channels: channels, sampleCount: pixels.count)
        let levels = pixels.map { value -> UInt8 in
            let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
            return UInt8((clamped * 255).rounded())
        }
        self.init(validatedWidth: width, height: height, channels: channels, samples: .eightBit(levels))
    }

    /// A 16-bit image from `width * height * channels` samples in HWC order.
    public init(width: Int, height: Int, channels: Int, samples16: [UInt16]) throws {
        try Self.validate(width: width, height: height, channels: channels, sampleCount: samples16.count)
        self.init(validatedWidth: width, height: height, channels: channels, samples: .sixteenBit(samples16))
    }

    init(validatedWidth width: Int, height: Int, channels: Int, samples: Samples) {
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    /// The samples at 8 bits: 16-bit samples are scaled by 255/65535 and rounded.
    public var pixels: [UInt8] {
        switch samples {
        case .eightBit(let values): return values
        case .sixteenBit(let values): return values.map { UInt8((UInt32($0) + 128) / 257) }
        }
    }

    /// The samples at 16 bits: 8-bit samples are scaled by 65535/255 (exactly 257).
    public var samples16: [UInt16] {
        switch samples {
        case .eightBit(let values): return values.map { UInt16($0) &* 257 }
        case .sixteenBit(let values): return values
        }
    }

    /// The samples divided by their maximum (255 or 65535), in [0, 1].
    public var floatPixels: [Float] {
        switch samples {
        case .eightBit(let values): return values.map { Float($0) / 255 }
        case .sixteenBit(let values): return values.map { Float($0) / 65535 }
        }
    }

    /// libpng's simplified API takes dimensions as 32-bit values and refuses widths or heights
    /// beyond 2^31 - 1.
    static let maximumSide = Int(Int32.max)

    private static func validate(width: Int, height: Int, channels: Int, sampleCount: Int) throws {
        guard (1...4).contains(channels) else {
            throw KeelError("PNG image", expected: "1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels",
                            found: "\(channels) channels")
        }
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw KeelError("PNG image", expected: "width and height between 1 and \(maximumSide)",
                            found: "\(width) x \(height)")
        }
        let (pixelsArea, overflowArea) = width.multipliedReportingOverflow(by: height)
        let (expected, overflow) = pixelsArea.multipliedReportingOverflow(by: channels)
        guard !overflowArea, !overflow, expected == sampleCount else {
            throw KeelError("PNG image", expected: "\(width) x \(height) x \(channels) samples (HWC)",
                            found: "\(sampleCount) samples")
        }
    }
}
