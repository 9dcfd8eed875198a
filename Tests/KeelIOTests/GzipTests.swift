import Foundation
import KeelIO
import XCTest

final class GzipTests: XCTestCase {
    static let text = Array(String(repeating: "Keel reads gzip through zlib. ", count: 40).utf8)

    func testRoundTripsEmptySmallAndLargeData() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<40_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for data in [[], [42], Self.text, noise, [UInt8](repeating: 7, count: 1_000_000)] {
            for level in [0, 1, 6, 9] {
                let compressed = Gzip.compress(data, level: level)
                XCTAssertTrue(Gzip.isCompressed(compressed))
                XCTAssertEqual(try Gzip.decompress(compressed, name: "memory"), data, "\(data.count) bytes, level \(level)")
            }
        }
        XCTAssertLessThan(Gzip.compress(Self.text).count, Self.text.count / 10)
    }

    func testConcatenatedMembersReadAsOneStream() throws {
        let joined = Gzip.compress(Array("first ".utf8)) + Gzip.compress(Array("second".utf8))
        XCTAssertEqual(try Gzip.decompress(joined, name: "joined.gz"), Array("first second".utf8))
    }

    func testInteroperatesWithPythonGzip() throws {
        let directory = formatTestDirectory("gzip-python")
        let keelFile = directory.appendingPathComponent("keel.gz").path
        try Gzip.write(Self.text, to: keelFile)
        let script = """
        import sys, gzip
        data = gzip.open(sys.argv[1]).read()
        assert data == sys.argv[2].encode(), "content differs"
        with gzip.open(sys.argv[3], "wb", compresslevel=9) as f:
            f.write(data[::-1])
        print(len(data))
        """
        let pythonFile = directory.appendingPathComponent("python.gz").path
        let output = try FormatTesting.python(script, [keelFile, String(decoding: Self.text, as: UTF8.self), pythonFile])
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), String(Self.text.count))
        XCTAssertEqual(try Gzip.read(pythonFile), Self.text.reversed())
    }

    func testEveryTruncationIsAnError() throws {
        let compressed = Gzip.compress(Self.text)
        for length in 0..<compressed.count {
            assertThrowsKeelError(try Gzip.decompress(Array(compressed.prefix(length)), name: "cut.gz"),
                                  mentioning: ["cut.gz", "expected"], "(\(length) of \(compressed.count) bytes)")
        }
        assertThrowsKeelError(try Gzip.decompress(Array(compressed.dropLast(3)), name: "cut.gz"),
                              mentioning: ["cut.gz", "truncated"])
    }

    func testDamagedTrailerHeaderAndTrailingBytesAreErrors() throws {
        let compressed = Gzip.compress(Self.text)
        var badChecksum = compressed
        badChecksum[compressed.count - 8] ^= 0x01
        assertThrowsKeelError(try Gzip.decompress(badChecksum, name: "crc.gz"), mentioning: ["crc.gz", "incorrect data check"])
        var badLength = compressed
        badLength[compressed.count - 4] ^= 0x01
        assertThrowsKeelError(try Gzip.decompress(badLength, name: "len.gz"), mentioning: ["len.gz", "incorrect length check"])
        var badMethod = compressed
        badMethod[2] = 7
        assertThrowsKeelError(try Gzip.decompress(badMethod, name: "method.gz"), mentioning: ["method.gz", "expected valid gzip data"])
        assertThrowsKeelError(try Gzip.decompress(compressed + [0, 0, 0], name: "tail.gz"),
                              mentioning: ["tail.gz", "3 trailing bytes"])
        assertThrowsKeelError(try Gzip.decompress(Array("plain text".utf8), name: "plain.txt"),
                              mentioning: ["plain.txt", "expected gzip magic 1f 8b", "70 6c 61 69"])
        assertThrowsKeelError(try Gzip.decompress([], name: "none.gz"), mentioning: ["none.gz", "empty"])
    }

    func testReadingFilesNamesThePath() throws {
        let directory = formatTestDirectory("gzip-files")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "gz") { try Gzip.read($0) }
        let good = Gzip.compress(Self.text)
        try assertRejectsDamagedFiles(good, truncatedAt: [1, 5, 10, 30, good.count - 5], flippingBytesAt: [0, 3, good.count - 3],
                                      in: directory, extension: "gz") { try Gzip.read($0) }
    }
}
