import Foundation
import KeelIO
import KeelTestSupport
import XCTest

final class PNGTests: XCTestCase {
    /// A PNG decoder in plain Python (zlib + unfiltering), so the test does not trust libpng to
    /// check what libpng wrote. Prints width, height, bit depth, color type and the samples.
    static let pythonDecoder = """
    import sys, json, struct, zlib
    def decode(path):
        data = open(path, "rb").read()
        assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", "signature"
        position, idat = 8, b""
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            body = data[position + 8:position + 8 + length]
            assert zlib.crc32(kind + body) == struct.unpack(">I", data[position + 8 + length:position + 12 + length])[0]
            if kind == b"IHDR":
                width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
                assert interlace == 0
            elif kind == b"IDAT":
                idat += body
            position += 12 + length
        channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
        pixel_bytes = channels * depth // 8
        stride = width * pixel_bytes
        raw, rows, previous = zlib.decompress(idat), [], bytearray(stride)
        for y in range(height):
            kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for x in range(stride):
                a = line[x - pixel_bytes] if x >= pixel_bytes else 0
                b = previous[x]
                c = previous[x - pixel_bytes] if x >= pixel_bytes else 0
                if kind == 1: line[x] = (line[x] + a) & 255
                elif kind == 2: line[x] = (line[x] + b) & 255
                elif kind == 3: line[x] = (line[x] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            rows.append(bytes(line))
            previous = line
        pixels = b"".join(rows)
        samples = list(pixels) if depth == 8 else list(struct.unpack(">%dH" % (len(pixels) // 2), pixels))
        return {"width": width, "height": height, "depth": depth, "color": color, "samples": samples}
    print(json.dumps([decode(path) for path in sys.argv[1:]]))
    """

    static func image(channels: Int, width: Int = 8, height: Int = 4) throws -> PNGImage {
        let count = width * height * channels
        return try PNGImage(width: width, height: height, channels: channels,
                            pixels: (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + $0 / 3) })
    }

    func testRoundTripsEightBitGrayGrayAlphaRGBAndRGBA() throws {
        let directory = formatTestDirectory("png-roundtrip")
        for channels in 1...4 {
            let image = try Self.image(channels: channels)
            let path = directory.appendingPathComponent("c\(channels).png").path
            try image.write(to: path)
            let read = try PNGImage.read(path)
            XCTAssertEqual(read, image, "\(channels) channels")
            XCTAssertEqual(read.bitDepth, 8)
        }
    }

    func testRoundTripsSixteenBitGrayAndRGB() throws {
        for channels in [1, 3] {
            let samples = (0..<(5 * 3 * channels)).map { UInt16(truncatingIfNeeded: $0 * 4099 + 1) }
            let image = try PNGImage(width: 5, height: 3, channels: channels, samples16: samples)
            let read = try PNGImage.read(bytes: image.encoded(), name: "memory")
            XCTAssertEqual(read.samples, .sixteenBit(samples))
            XCTAssertEqual(read.bitDepth, 16)
            XCTAssertEqual(read.pixels, samples.map { UInt8((Double($0) * 255 / 65535).rounded()) })
        }
        let withAlpha = try PNGImage(width: 1, height: 1, channels: 4, samples16: [1, 2, 3, 4])
        assertThrowsKeelError(try withAlpha.encoded(), mentioning: ["expected a 16-bit image without alpha"])
    }

    func testFloatPixelsAreClampedAndRounded() throws {
        let image = try PNGImage(width: 3, height: 2, channels: 1, pixels: [-0.5, 0, 0.5, 1.0 / 255 * 0.49, 1, 7])
        XCTAssertEqual(image.pixels, [0, 0, 128, 0, 255, 255])
        XCTAssertEqual(try PNGImage(width: 1, height: 1, channels: 1, pixels: [Float.nan]).pixels, [0])
        XCTAssertEqual(image.samples16, [0, 0, 128 * 257, 0, 65535, 65535])
        XCTAssertEqual(image.floatPixels[2], 128.0 / 255)
    }

    func testRejectsInconsistentDimensions() {
        assertThrowsKeelError(try PNGImage(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: 0, count: 11)),
                              mentioning: ["expected 2 x 2 x 3 samples", "found 11 samples"])
        assertThrowsKeelError(try PNGImage(width: 1, height: 1, channels: 5, pixels: [UInt8](repeating: 0, count: 5)),
                              mentioning: ["channels", "found 5 channels"])
        assertThrowsKeelError(try PNGImage(width: 0, height: 1, channels: 1, pixels: [UInt8]()),
                              mentioning: ["width and height", "found 0 x 1"])
    }

    func testFileCommandAndAPythonDecoderSeeWhatKeelWrote() throws {
        let directory = formatTestDirectory("png-python")
        var images: [(path: String, image: PNGImage, description: String, colorType: Int)] = []
        for (channels, description, colorType) in [(1, "8-bit grayscale", 0), (2, "8-bit gray+alpha", 4),
                                                   (3, "8-bit/color RGB", 2), (4, "8-bit/color RGBA", 6)] {
            images.append((directory.appendingPathComponent("c\(channels).png").path,
                           try Self.image(channels: channels), description, colorType))
        }
        let deep = try PNGImage(width: 8, height: 4, channels: 3,
                                samples16: (0..<96).map { UInt16(truncatingIfNeeded: $0 * 2999) })
        images.append((directory.appendingPathComponent("deep.png").path, deep, "16-bit/color RGB", 2))
        for entry in images { try entry.image.write(to: entry.path) }

        for entry in images {
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), ["-b", entry.path])
            XCTAssertEqual(result.status, 0, "the `file` command must be installed")
            XCTAssertTrue(result.stdout.hasPrefix("PNG image data, 8 x 4, \(entry.description)"), result.stdout)
        }
        let decoded = try XCTUnwrap(FormatTesting.json(FormatTesting.python(Self.pythonDecoder, images.map(\.path))) as? [[String: Any]])
        XCTAssertEqual(decoded.count, images.count)
        for (entry, python) in zip(images, decoded) {
            XCTAssertEqual(python["width"] as? Int, 8)
            XCTAssertEqual(python["height"] as? Int, 4)
            XCTAssertEqual(python["depth"] as? Int, entry.image.bitDepth, entry.path)
            XCTAssertEqual(python["color"] as? Int, entry.colorType, entry.path)
            let samples = (python["samples"] as? [NSNumber])?.map(\.uint16Value)
            switch entry.image.samples {
            case .eightBit(let values): XCTAssertEqual(samples, values.map(UInt16.init), entry.path)
            case .sixteenBit(let values): XCTAssertEqual(samples, values, entry.path)
            }
        }
    }

    func testReadsPNGsPythonWroteByHand() throws {
        let directory = formatTestDirectory("png-from-python")
        let script = """
        import sys, json, struct, zlib
        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        def png(name, width, height, depth, color, rows, extra=b""):
            raw = b"".join(b"\\x00" + row for row in rows)
            header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
            with open(f"{sys.argv[1]}/{name}.png", "wb") as f:
                f.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
        def words(values): return struct.pack(">%dH" % len(values), *values)
        gray16 = [0, 1, 257, 65535, 12345, 54321]
        png("gray16", 3, 2, 16, 0, [words(gray16[:3]), words(gray16[3:])])
        rgb16 = [65535, 0, 1000, 2, 40000, 65534, 7, 8, 9, 30000, 30001, 30002]
        png("rgb16", 2, 2, 16, 2, [words(rgb16[:6]), words(rgb16[6:])])
        rgba16 = [1000, 2000, 3000, 65535, 0, 0, 0, 0, 40000, 20000, 10000, 32768]
        png("rgba16", 3, 1, 16, 6, [words(rgba16)])
        palette = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 10, 20, 30]))
        png("palette", 3, 1, 8, 3, [bytes([2, 0, 1])], palette)
        png("palette-alpha", 3, 1, 8, 3, [bytes([2, 0, 1])], palette + chunk(b"tRNS", bytes([128, 255, 0])))
        png("gray-alpha", 2, 1, 8, 4, [bytes([10, 255, 200, 7])])
        png("bits", 8, 1, 1, 0, [bytes([0b10110001])])
        print(json.dumps({"gray16": gray16, "rgb16": rgb16, "rgba16": rgba16}))
        """
        let values = try XCTUnwrap(FormatTesting.json(FormatTesting.python(script, [directory.path])) as? [String: [Int]])
        func read(_ name: String) throws -> PNGImage { try PNGImage.read(directory.appendingPathComponent(name + ".png").path) }

        let gray16 = try read("gray16")
        XCTAssertEqual([gray16.width, gray16.height, gray16.channels, gray16.bitDepth], [3, 2, 1, 16])
        XCTAssertEqual(gray16.samples, .sixteenBit(try XCTUnwrap(values["gray16"]).map { UInt16($0) }))
        let rgb16 = try read("rgb16")
        XCTAssertEqual([rgb16.channels, rgb16.bitDepth], [3, 16])
        XCTAssertEqual(rgb16.samples16, try XCTUnwrap(values["rgb16"]).map { UInt16($0) })
        // libpng premultiplies 16-bit color by alpha; Keel divides it out again, exactly for
        // opaque and fully transparent pixels and within rounding for the rest.
        let rgba16 = try read("rgba16")
        XCTAssertEqual([rgba16.channels, rgba16.bitDepth], [4, 16])
        let expected = try XCTUnwrap(values["rgba16"])
        XCTAssertEqual(Array(rgba16.samples16.prefix(8)), expected.prefix(8).map { UInt16($0) })
        for (read, written) in zip(rgba16.samples16.dropFirst(8), expected.dropFirst(8)) {
            XCTAssertEqual(Double(read), Double(written), accuracy: 3)
        }

        let palette = try read("palette")
        XCTAssertEqual([palette.channels, palette.bitDepth], [3, 8])
        XCTAssertEqual(palette.pixels, [10, 20, 30, 255, 0, 0, 0, 255, 0])
        let paletteAlpha = try read("palette-alpha")
        XCTAssertEqual(paletteAlpha.channels, 4)
        XCTAssertEqual(paletteAlpha.pixels, [10, 20, 30, 0, 255, 0, 0, 128, 0, 255, 0, 255])
        let grayAlpha = try read("gray-alpha")
        XCTAssertEqual([grayAlpha.channels, grayAlpha.bitDepth], [2, 8])
        XCTAssertEqual(grayAlpha.pixels, [10, 255, 200, 7])
        XCTAssertEqual(try read("bits").pixels, [255, 0, 255, 255, 0, 0, 0, 255])
    }

    func testDemandsChannelsAndBitDepth() throws {
        let path = formatTestDirectory("png-demand").appendingPathComponent("rgb.png").path
        try Self.image(channels: 3).write(to: path)
        XCTAssertEqual(try PNGImage.read(path, channels: 3, bitDepth: 8).channels, 3)
        assertThrowsKeelError(try PNGImage.read(path, channels: 1), mentioning: [path, "expected a PNG with 1 channels", "found 3 channels"])
        assertThrowsKeelError(try PNGImage.read(path, channels: nil, bitDepth: 16), mentioning: [path, "16-bit", "found a 8-bit"])
    }

    func testRejectsMissingEmptyGarbageTruncatedAndDamagedFiles() throws {
        let directory = formatTestDirectory("png-corrupt")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "png") { try PNGImage.read($0) }
        let good = try Self.image(channels: 3, width: 16, height: 16).encoded()
        let idat = try XCTUnwrap(Self.offset(of: "IDAT", in: good))
        let iend = try XCTUnwrap(Self.offset(of: "IEND", in: good))
        let truncations = [4, 8, 12, 20, 29, 33, idat - 2, idat + 6, (idat + iend) / 2, iend - 6, iend - 1, iend + 2, good.count - 1]
        // Byte 16 is inside IHDR (its width), idat + 10 inside the compressed pixels.
        try assertRejectsDamagedFiles(good, truncatedAt: truncations, flippingBytesAt: [0, 3, 12, 16, 19, idat + 10, iend - 6],
                                      in: directory, extension: "png") { try PNGImage.read($0) }
        XCTAssertEqual(try PNGImage.read(bytes: good + [1, 2, 3], name: "trailing.png").width, 16,
                       "bytes after IEND are ignored, as every viewer does")
        let signatureOnly = directory.appendingPathComponent("signature.png").path
        try FormatTesting.write(Array(good.prefix(8)) + Array(repeating: 0x41, count: 100), to: URL(fileURLWithPath: signatureOnly))
        assertThrowsKeelError(try PNGImage.read(signatureOnly), mentioning: [signatureOnly, "expected", "libpng"])
    }

    /// Where the chunk type `kind` sits in `bytes`.
    static func offset(of kind: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(kind.utf8)
        return (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
