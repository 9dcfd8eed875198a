import Foundation
import KeelIO
import KeelTestSupport
import XCTest

final class ImageFileTests: XCTestCase {
    /// PNGs of every channel layout (and a 16-bit and a palette one) written by Pillow, with what
    /// TensorFlow's `decode_image(channels=c)` makes of each for c = 1, 3, 4.
    static let writeAndDecode = """
    import sys, json, os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    from PIL import Image
    import tensorflow as tf
    directory = sys.argv[1]
    rng = np.random.default_rng(3)
    images = {"l.png": Image.fromarray(rng.integers(0, 256, (5, 6), dtype=np.uint8)),
              "la.png": Image.fromarray(rng.integers(0, 256, (4, 7, 2), dtype=np.uint8), "LA"),
              "rgb.png": Image.fromarray(rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)),
              "rgba.png": Image.fromarray(rng.integers(0, 256, (3, 8, 4), dtype=np.uint8)),
              "i16.png": Image.fromarray(rng.integers(0, 65536, (4, 4), dtype=np.uint16)),
              "p.png": Image.fromarray(rng.integers(0, 256, (5, 5, 3), dtype=np.uint8)).convert("P", palette=Image.ADAPTIVE, colors=7)}
    out = {}
    for name, image in images.items():
        path = os.path.join(directory, name)
        image.save(path)
        data = tf.io.read_file(path)
        out[name] = {str(c): tf.image.decode_image(data, channels=c, expand_animations=False).numpy().reshape(-1).tolist() for c in (1, 3, 4)}
    Image.fromarray(rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)).save(os.path.join(directory, "x.gif"))
    Image.fromarray(rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)).save(os.path.join(directory, "x.bmp"))
    print(json.dumps(out))
    """

    /// Made once per test class (the script starts TensorFlow, which takes seconds).
    private static let files = PythonMadeFiles(name: "keel-imagefiletests", script: writeAndDecode)

    override class func tearDown() {
        files.remove()
        super.tearDown()
    }

    func testPNGChannelConversionsMatchTensorFlow() throws {
        let (directory, expected) = try Self.files.prepared()
        XCTAssertEqual(expected.count, 6)
        for (name, decoded) in expected {
            for channels in [1, 3, 4] {
                let image = try ImageFile.read(directory.appendingPathComponent(name).path, channels: channels)
                XCTAssertEqual(image.channels, channels)
                var reference = decoded["\(channels)"]!
                if name == "p.png" && channels == 4 {
                    // TensorFlow fills the missing alpha of a 4-bit palette image with 15 (the
                    // palette's bit depth leaks into libpng's filler); Keel makes it opaque.
                    for alpha in stride(from: 3, to: reference.count, by: 4) {
                        XCTAssertEqual(reference[alpha], 15)
                        reference[alpha] = 255
                    }
                }
                XCTAssertEqual(image.pixels.map(Int.init), reference, "\(name) as \(channels) channels")
            }
        }
    }

    func testGIFAndBMPAreRefusedByName() throws {
        let directory = try Self.files.prepared().directory
        for name in ["x.gif", "x.bmp"] {
            let path = directory.appendingPathComponent(name).path
            XCTAssertThrowsError(try ImageFile.read(path, channels: 3)) { error in
                XCTAssert("\(error)".contains(path) && "\(error)".contains("unsupported image format"), "\(error)")
            }
        }
    }

    func testCorruptPNGAndUnknownBytesThrowNamingTheFile() throws {
        let png = try PNGImage(width: 4, height: 3, channels: 3, pixels: (0..<36).map { UInt8($0 * 7) }).encoded()
        let name = "/data/dogs/broken.png"
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(png.prefix(png.count - 20))), ("signature only", Array(png.prefix(8))),
            ("damaged data", png.enumerated().map { $0.offset > 40 && $0.offset < png.count - 12 ? 0x55 : $0.element }),
            ("unknown", [0x00, 0x01, 0x02, 0x03]), ("empty", []),
        ]
        for (label, bytes) in cases {
            XCTAssertThrowsError(try ImageFile.decode(bytes: bytes, name: name, channels: 3), label) { error in
                XCTAssert(error is KeelError && "\(error)".contains(name), "\(label): \(error)")
            }
        }
        XCTAssertThrowsError(try ImageFile.decode(bytes: png, name: name, channels: 2))
        XCTAssertEqual(try ImageFile.decode(bytes: png, name: name, channels: 4).pixels.count, 48)
    }
}
