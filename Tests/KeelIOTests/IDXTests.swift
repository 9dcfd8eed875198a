import Foundation
import KeelIO
import XCTest

final class IDXTests: XCTestCase {
    static let fashionMNIST = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")
    static let idxTypes: [ElementType] = [.uint8, .int8, .int16, .int32, .float32, .float64]

    func testRoundTripsEveryTypeRawAndGzipped() throws {
        let directory = formatTestDirectory("idx-roundtrip")
        for elementType in Self.idxTypes {
            for shape in [[3, 2, 4], [7], [], [0, 5]] {
                let array = NPYTests.counting(elementType, shape: shape)
                for gzipped in [false, true] {
                    let path = directory.appendingPathComponent("\(elementType)-\(shape.count)-\(gzipped).idx").path
                    try IDX.write(array, to: path, gzipped: gzipped)
                    XCTAssertEqual(Gzip.isCompressed(try FormatTesting.bytes(of: URL(fileURLWithPath: path))), gzipped)
                    XCTAssertEqual(try IDX.read(path), array, "\(elementType) \(shape) gzipped: \(gzipped)")
                }
            }
        }
    }

    func testWritesBigEndianHeaderAndElements() throws {
        let bytes = try IDX.encode(ArrayData([Int16(0x0102), -2], shape: [2, 1]))
        XCTAssertEqual(bytes, [0, 0, 0x0B, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xFF, 0xFE])
        let floats = try IDX.encode(ArrayData([Float(1)], shape: [1]))
        XCTAssertEqual(floats, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, 0x80, 0, 0])
        assertThrowsKeelError(try IDX.encode(ArrayData([Int64(1)], shape: [1])), mentioning: ["IDX", "expected", "int64"])
        assertThrowsKeelError(try IDX.encode(ArrayData([true], shape: [1])), mentioning: ["IDX", "expected", "bool"])
    }

    func testDetectsGzipByMagicNotByName() throws {
        let directory = formatTestDirectory("idx-names")
        let array = NPYTests.counting(.uint8, shape: [4, 4])
        let gzippedWithoutSuffix = directory.appendingPathComponent("images-idx3-ubyte").path
        let plainWithGzSuffix = directory.appendingPathComponent("images-idx3-ubyte.gz").path
        try IDX.write(array, to: gzippedWithoutSuffix, gzipped: true)
        try IDX.write(array, to: plainWithGzSuffix, gzipped: false)
        XCTAssertEqual(try IDX.read(gzippedWithoutSuffix), array)
        XCTAssertEqual(try IDX.read(plainWithGzSuffix), array)
    }

    func testReadsPythonWrittenIDXLikeNumPy() throws {
        let directory = formatTestDirectory("idx-from-python")
        let script = """
        import sys, gzip, struct, numpy as np
        images = (np.arange(2 * 3 * 4) * 7 % 256).astype('>u1').reshape(2, 3, 4)
        floats = (np.arange(6) - 2.5).astype('>f4').reshape(3, 2)
        ints = (np.arange(5) * -100000).astype('>i4')
        for name, code, array in [("images", 0x08, images), ("floats", 0x0D, floats), ("ints", 0x0C, ints)]:
            blob = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape) + array.tobytes()
            with gzip.open(f"{sys.argv[1]}/{name}.gz", "wb") as f:
                f.write(blob)
        """
        _ = try FormatTesting.python(script, [directory.path])
        func path(_ name: String) -> String { directory.appendingPathComponent(name + ".gz").path }
        XCTAssertEqual(try IDX.read(path("images")), ArrayData((0..<24).map { UInt8($0 * 7 % 256) }, shape: [2, 3, 4]))
        XCTAssertEqual(try IDX.read(path("floats")), ArrayData((0..<6).map { Float($0) - 2.5 }, shape: [3, 2]))
        XCTAssertEqual(try IDX.read(path("ints")), ArrayData((0..<5).map { Int32($0) * -100_000 }, shape: [5]))
    }

    func testReadsFashionMNISTTestSetLikePython() throws {
        let images = Self.fashionMNIST.appendingPathComponent("t10k-images-idx3-ubyte.gz").path
        let labels = Self.fashionMNIST.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path
        let imageArray = try IDX.read(images, as: .uint8, shape: [10000, 28, 28])
        let labelArray = try IDX.read(labels, as: .uint8, shape: [10000])
        let script = """
        import sys, gzip, json, numpy as np
        images = np.frombuffer(gzip.open(sys.argv[1]).read()[16:], dtype=np.uint8)
        labels = np.frombuffer(gzip.open(sys.argv[2]).read()[8:], dtype=np.uint8)
        print(json.dumps({"first_image": images[:784].tolist(), "head_total": int(images[:78400].astype(np.int64).sum()),
                          "label_counts": np.bincount(labels).tolist(), "first_labels": labels[:20].tolist()}))
        """
        let python = try XCTUnwrap(FormatTesting.json(FormatTesting.python(script, [images, labels])) as? [String: Any])
        XCTAssertEqual(Array(imageArray.bytes.prefix(784)), (python["first_image"] as? [NSNumber])?.map(\.uint8Value))
        XCTAssertEqual(imageArray.bytes.prefix(78400).reduce(0) { $0 + Int($1) }, (python["head_total"] as? NSNumber)?.intValue)
        let counts = labelArray.bytes.reduce(into: [Int](repeating: 0, count: 10)) { $0[Int($1)] += 1 }
        XCTAssertEqual(counts, (python["label_counts"] as? [NSNumber])?.map(\.intValue))
        XCTAssertEqual(Array(labelArray.bytes.prefix(20)), (python["first_labels"] as? [NSNumber])?.map(\.uint8Value))
    }

    func testDemandsTypeAndShape() throws {
        let labels = Self.fashionMNIST.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path
        assertThrowsKeelError(try IDX.read(labels, as: .uint8, shape: [nil, 28, 28]),
                              mentioning: [labels, "expected shape (?, 28, 28)", "found shape (10000,)"])
        assertThrowsKeelError(try IDX.read(labels, as: .float32), mentioning: [labels, "expected float32", "found uint8"])
    }

    func testRejectsMissingEmptyGarbageTruncatedAndDamagedFiles() throws {
        let directory = formatTestDirectory("idx-corrupt")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "idx") { try IDX.read($0) }
        let raw = try IDX.encode(NPYTests.counting(.int32, shape: [6, 5]))
        try assertRejectsDamagedFiles(raw, truncatedAt: [1, 3, 5, 11, 12, 13, 40, raw.count - 1],
                                      flippingBytesAt: [0, 1, 2, 3, 7, 11], in: directory, extension: "idx") {
            try IDX.read($0)
        }
        let gzipped = Gzip.compress(raw)
        let offsets = [1, 2, 9, 10, 20, gzipped.count / 2, gzipped.count - 8, gzipped.count - 4, gzipped.count - 1]
        try assertRejectsDamagedFiles(gzipped, truncatedAt: offsets,
                                      flippingBytesAt: [0, 1, 2, 3, 12, gzipped.count - 6, gzipped.count - 2],
                                      in: directory, extension: "idx.gz") { try IDX.read($0) }
        let trailing = directory.appendingPathComponent("trailing.idx").path
        try FormatTesting.write(raw + [9], to: URL(fileURLWithPath: trailing))
        assertThrowsKeelError(try IDX.read(trailing), mentioning: [trailing, "120 data bytes", "trailing bytes"])
        let unknownType = directory.appendingPathComponent("type.idx").path
        try FormatTesting.write([0, 0, 0x0A, 1, 0, 0, 0, 1, 5], to: URL(fileURLWithPath: unknownType))
        assertThrowsKeelError(try IDX.read(unknownType), mentioning: [unknownType, "IDX magic", "00 00 0a 01"])
    }
}
