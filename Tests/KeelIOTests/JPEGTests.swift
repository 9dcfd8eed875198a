import Foundation
import KeelIO
import KeelTestSupport
import XCTest

final class JPEGTests: XCTestCase {
    /// Writes JPEGs with Pillow (gray, RGB at 4:4:4 and 4:2:0, progressive, odd sizes) and prints
    /// what TensorFlow's decoder (the one Keras's image loading uses) makes of each as gray and RGB.
    static let writeAndDecode = """
    import sys, json, os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    from PIL import Image
    import tensorflow as tf
    directory = sys.argv[1]
    rng = np.random.default_rng(7)
    def smooth(h, w, c):
        y, x = np.mgrid[0:h, 0:w]
        planes = [(np.sin(x / 3.0 + k) * 60 + np.cos(y / 4.0 + 2 * k) * 50 + 128 + rng.integers(-20, 20, (h, w))) for k in range(c)]
        return np.clip(np.stack(planes, -1), 0, 255).astype(np.uint8)
    cases = [("gray.jpg", smooth(13, 17, 1)[:, :, 0], {}), ("rgb444.jpg", smooth(16, 9, 3), {"subsampling": 0}),
             ("rgb420.jpg", smooth(21, 30, 3), {"subsampling": 2}),
             ("progressive.jpg", smooth(19, 11, 3), {"progressive": True, "quality": 70})]
    out = {}
    for name, pixels, options in cases:
        path = os.path.join(directory, name)
        Image.fromarray(pixels).save(path, quality=options.pop("quality", 90), **options)
        data = tf.io.read_file(path)
        out[name] = {str(c): tf.io.decode_jpeg(data, channels=c).numpy().reshape(-1).tolist() for c in (1, 3)}
        out[name]["shape"] = list(pixels.shape[:2])
    print(json.dumps(out))
    """

    /// Made once per test class (the script starts TensorFlow, which takes seconds).
    private static let files = PythonMadeFiles(name: "keel-jpegtests", script: writeAndDecode)

    override class func tearDown() {
        files.remove()
        super.tearDown()
    }

    func testDecodesLikeTensorFlow() throws {
        let (directory, expected) = try Self.files.prepared()
        XCTAssertEqual(expected.count, 4)
        for (name, decoded) in expected {
            let path = directory.appendingPathComponent(name).path
            let native = try JPEGImage.read(path)
            XCTAssertEqual([native.height, native.width], decoded["shape"], name)
            XCTAssertEqual(native.channels, name == "gray.jpg" ? 1 : 3, name)
            for channels in [1, 3] {
                let image = try JPEGImage.read(path, channels: channels)
                let reference = decoded["\(channels)"]!
                XCTAssertEqual(image.pixels.count, reference.count, "\(name) channels \(channels)")
                let worst = zip(image.pixels, reference).map { abs(Int($0) - $1) }.max() ?? -1
                XCTAssertLessThanOrEqual(worst, 2, "\(name) channels \(channels): largest difference from TensorFlow")
            }
        }
    }

    func testCorruptTruncatedAndForeignBytesThrowNamingTheFile() throws {
        let directory = try Self.files.prepared().directory
        let good = try FormatTesting.bytes(of: directory.appendingPathComponent("rgb420.jpg"))
        let name = "/data/cats/broken.jpg"
        var headerHuge = good
        // The SOF0 frame header's height and width (after FFC0, length, precision).
        if let sof = (0..<(good.count - 1)).first(where: { good[$0] == 0xFF && (good[$0 + 1] == 0xC0 || good[$0 + 1] == 0xC2) }) {
            headerHuge.replaceSubrange((sof + 5)..<(sof + 9), with: [0xFF, 0xD0, 0xFF, 0xD0])
        } else {
            XCTFail("no frame header in the seed JPEG")
        }
        let cases: [(String, [UInt8])] = [
            ("empty", []), ("signature only", [0xFF, 0xD8]), ("half", Array(good.prefix(good.count / 2))),
            ("without end marker", Array(good.dropLast(2))), ("not a JPEG", Array("hello world".utf8)),
            ("huge header", headerHuge),
            ("scrambled scan", good.enumerated().map { $0.offset > good.count / 2 && $0.offset < good.count - 2 ? UInt8(truncatingIfNeeded: $0.offset &* 7) : $0.element }),
        ]
        for (label, bytes) in cases {
            XCTAssertThrowsError(try JPEGImage.decode(bytes: bytes, name: name), label) { error in
                XCTAssert(error is KeelError, label)
                XCTAssert("\(error)".contains(name), "\(label): \(error)")
            }
        }
        XCTAssertThrowsError(try JPEGImage.decode(bytes: good, name: name, channels: 4))
    }

    /// Random damage to a real JPEG either decodes or throws a KeelError: never a crash, never
    /// another error type.
    func testRandomDamageNeverCrashes() throws {
        let directory = try Self.files.prepared().directory
        var random = SplitMix64(seed: 15)
        for seedName in ["gray.jpg", "rgb420.jpg", "progressive.jpg"] {
            let seed = try FormatTesting.bytes(of: directory.appendingPathComponent(seedName))
            for round in 0..<150 {
                var bytes = seed
                for _ in 0...(Int(random.next() % 4)) {
                    let at = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: bytes.removeSubrange(at...)
                    default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                    }
                    if bytes.isEmpty { break }
                }
                do {
                    let image = try JPEGImage.decode(bytes: bytes, name: "damaged")
                    XCTAssertEqual(image.pixels.count, image.width * image.height * image.channels)
                } catch {
                    XCTAssert(error is KeelError, "\(seedName) round \(round): \(error)")
                }
            }
        }
    }
}
