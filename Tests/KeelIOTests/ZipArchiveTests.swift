import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Zip archives whose directory lies: ZIP64 sizes of 2^62, 2^63 and 2^64-1, offsets past the
/// end, truncated directories. Each is one KeelError naming the archive, never a trap, an
/// endless read or a huge allocation; and reading leaves nothing in the temporary folder.
final class ZipArchiveTests: XCTestCase {
    private let payload = Array("{\"hello\": 1}".utf8)

    private func read(_ bytes: [UInt8]) throws -> ZipArchive {
        try ZipArchive.read(bytes: bytes, name: "hostile.keras")
    }

    func testHandMadeArchivesReadBack() throws {
        let plain = try read(HandMadeZip.archive([.init("a.json", payload), .init("dir/", []), .init("b.bin", [1, 2, 3])]))
        XCTAssertEqual(plain.memberNames, ["a.json", "b.bin"])
        XCTAssertEqual(try plain.contents(of: "b.bin"), [1, 2, 3])
        // Honest ZIP64 fields and a ZIP64 end record are read as well.
        let honest = HandMadeZip.Member("a.json", payload, zip64UncompressedSize: UInt64(payload.count),
                                        zip64CompressedSize: UInt64(payload.count), zip64LocalHeaderOffset: 0)
        XCTAssertEqual(try read(HandMadeZip.archive([honest], zip64End: .init())).members.first?.bytes, payload)
    }

    func testHugeZip64SizesAreErrors() throws {
        for size: UInt64 in [1 << 62, 1 << 63, UInt64.max] {
            let cases: [(String, HandMadeZip.Member)] = [
                ("uncompressed", .init("a.json", payload, zip64UncompressedSize: size)),
                ("compressed", .init("a.json", payload, zip64CompressedSize: size)),
                ("both", .init("a.json", payload, zip64UncompressedSize: size, zip64CompressedSize: size)),
            ]
            for (label, member) in cases {
                assertThrowsKeelError(try read(HandMadeZip.archive([member])), mentioning: ["hostile.keras", "\(size)"],
                                      "\(label) size \(size)")
            }
        }
    }

    func testOffsetsPastTheEndAreErrors() throws {
        for offset: UInt64 in [1 << 62, 1 << 63, UInt64.max, 10_000] {
            let member = HandMadeZip.Member("a.json", payload, zip64LocalHeaderOffset: offset)
            assertThrowsKeelError(try read(HandMadeZip.archive([member])), mentioning: ["hostile.keras", "\(offset)"],
                                  "ZIP64 local header offset \(offset)")
        }
        // An uncompressed size one byte short of the stored data.
        assertThrowsKeelError(try read(HandMadeZip.archive([.init("a.json", payload, zip64UncompressedSize: 11)])),
                              mentioning: ["hostile.keras", "11"])
        assertThrowsKeelError(try read(HandMadeZip.archive([.init("a.json", payload, localHeaderOffset: 0x7FFF_FFF0)])),
                              mentioning: ["hostile.keras", "\(0x7FFF_FFF0)"])
        // A local header offset that lands inside the data, not on a header.
        assertThrowsKeelError(try read(HandMadeZip.archive([.init("a.json", payload, localHeaderOffset: 3)])),
                              mentioning: ["hostile.keras", "local file header"])
    }

    func testDamagedDirectoriesAreErrors() throws {
        let members: [HandMadeZip.Member] = [.init("a.json", payload), .init("b.json", payload)]
        for cut in [1, 10, 46, 60] {
            assertThrowsKeelError(try read(HandMadeZip.archive(members, dropDirectoryBytes: cut)),
                                  mentioning: ["hostile.keras"], "directory cut by \(cut) bytes")
        }
        let hugeEnds: [HandMadeZip.Zip64End] = [
            .init(entryCount: 1 << 62), .init(entryCount: UInt64.max),
            .init(directorySize: 1 << 63), .init(directorySize: UInt64.max),
            .init(directoryOffset: 1 << 62), .init(directoryOffset: UInt64.max),
        ]
        for end in hugeEnds {
            assertThrowsKeelError(try read(HandMadeZip.archive(members, zip64End: end)), mentioning: ["hostile.keras"], "\(end)")
        }
        // The archive cut anywhere: never a trap.
        let whole = HandMadeZip.archive(members, zip64End: .init())
        for length in 1..<whole.count {
            XCTAssertThrowsError(try read(Array(whole.prefix(length))), "cut at \(length)")
        }
    }

    /// Reading makes no scratch file, on success or failure.
    func testReadingLeavesNothingInTheTemporaryFolder() throws {
        let temporary = FileManager.default.temporaryDirectory.path
        func scratchFiles() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("keel-zip-") })
        }
        let before = try scratchFiles()
        _ = try read(HandMadeZip.archive([.init("a.json", payload)]))
        for size: UInt64 in [1 << 62, 1 << 63, UInt64.max] {
            _ = try? read(HandMadeZip.archive([.init("a.json", payload, zip64UncompressedSize: size)]))
        }
        XCTAssertEqual(try scratchFiles(), before)
    }

    /// Deflated members written by ZIPFoundation still read back, and a flipped byte is caught.
    func testDeflatedMembersRoundTripAndCorruptionIsCaught() throws {
        let text = Array(String(repeating: "keel ", count: 2000).utf8)
        let archive = ZipArchive(members: [("a.txt", text), ("b.bin", [0, 1, 2])], source: "test.zip")
        for compression in [ZipArchive.Compression.stored, .deflated] {
            var bytes = try archive.encoded(compression: compression)
            let read = try ZipArchive.read(bytes: bytes, name: "test.zip")
            XCTAssertEqual(read.memberNames, ["a.txt", "b.bin"])
            XCTAssertEqual(try read.contents(of: "a.txt"), text)
            let dataStart = 30 + Int(bytes[26]) + Int(bytes[27]) << 8 + Int(bytes[28]) + Int(bytes[29]) << 8
            bytes[dataStart + 2] ^= 0xFF
            assertThrowsKeelError(try ZipArchive.read(bytes: bytes, name: "test.zip"), mentioning: ["test.zip"], "\(compression)")
        }
    }
}
