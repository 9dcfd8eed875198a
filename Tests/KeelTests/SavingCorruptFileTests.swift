import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// Damaged files are errors that name the file, never crashes: real Keras files cut short at
/// many offsets, empty files, garbage, and archives whose members are corrupt.
final class SavingCorruptFileTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = ProjectPaths.temporaryDirectory("keel-saving-corrupt")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static let fixtures = ProjectPaths.sharedFixtures

    /// Keras-written files of each form, and how each is loaded.
    private static let sources: [(file: String, weightsOnly: Bool)] = [
        ("h5/mlp/model.h5", false), ("h5/mlp/model.keras", false), ("h5/mlp/model.weights.h5", true),
        ("h5/cnn/model.h5", false), ("tfkeras2/functional.h5", false),
    ]

    /// Loads `path` the way its form is loaded; the architecture for weights-only files comes
    /// from the intact full model.
    private func load(_ path: String, weightsOnly: Bool) throws {
        if weightsOnly {
            let model = try Model.load(from: Self.fixtures.appendingPathComponent("h5/mlp/model.h5").path)
            try model.loadWeights(from: path)
        } else {
            _ = try Model.load(from: path)
        }
    }

    private func assertFails(_ path: String, weightsOnly: Bool, _ what: String) {
        XCTAssertThrowsError(try load(path, weightsOnly: weightsOnly), what) { error in
            XCTAssertTrue(error is KeelError, "\(what): \(type(of: error)) \(error)")
            XCTAssertTrue("\(error)".contains(path), "\(what): the error names the file: \(error)")
        }
    }

    func testTruncatedFilesAreErrorsNamingTheFile() throws {
        for source in Self.sources {
            let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(source.file)))
            let name = URL(fileURLWithPath: source.file).lastPathComponent
            // The first bytes (signatures, superblock), evenly spread cuts, and the last bytes.
            var offsets = Set([0, 1, 4, 8, 16, 48, 96, 200, 512, 1024, 2048, 4096])
            for step in 1..<24 { offsets.insert(bytes.count * step / 24) }
            for back in [1, 2, 8, 22, 100] { offsets.insert(bytes.count - back) }
            for offset in offsets.sorted() where offset < bytes.count {
                let path = directory.appendingPathComponent("cut-\(offset)-\(name)").path
                FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(offset)))
                assertFails(path, weightsOnly: source.weightsOnly, "\(source.file) cut at \(offset) of \(bytes.count)")
            }
        }
    }

    func testEmptyAndGarbageFilesAreErrorsNamingTheFile() throws {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let contents: [(String, [UInt8])] = [
            ("empty", []), ("garbage", garbage), ("text", Array("{\"class_name\": \"Sequential\"}".utf8)),
            ("hdf5-signature-only", [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] + garbage),
            ("zip-signature-only", [0x50, 0x4B, 0x03, 0x04] + garbage),
        ]
        for (label, bytes) in contents {
            for suffix in [".h5", ".keras", ".weights.h5"] {
                let path = directory.appendingPathComponent(label + suffix).path
                FileManager.default.createFile(atPath: path, contents: Data(bytes))
                assertFails(path, weightsOnly: suffix == ".weights.h5", "\(label)\(suffix)")
            }
        }
        assertFails(directory.appendingPathComponent("missing.h5").path, weightsOnly: false, "a missing file")
        assertFails(directory.path, weightsOnly: false, "a directory")
    }

    /// A flipped byte inside a member Keel reads fails the member's CRC-32, an error naming the
    /// archive (`metadata.json` is not read, by Keras or by Keel).
    func testCorruptArchiveMembersAreErrorsNamingTheFile() throws {
        let original = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("h5/mlp/model.keras")))
        for member in ZipLayout(original).entries where member.name != KerasArchive.metadataMember {
            var damaged = original
            damaged[member.dataOffset + member.compressedSize / 2] ^= 0xFF
            let path = directory.appendingPathComponent("flipped-\(member.name).keras").path
            FileManager.default.createFile(atPath: path, contents: Data(damaged))
            assertFails(path, weightsOnly: false, "model.keras with \(member.name) damaged")
        }
    }

    /// A `.keras` re-packed with deflate (as an archive tool might) still loads.
    func testDeflatedArchiveLoads() throws {
        let source = Self.fixtures.appendingPathComponent("h5/mlp/model.keras").path
        let repacked = directory.appendingPathComponent("deflated.keras").path
        let result = try runPython("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1]) as source, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info.filename, source.read(info.filename))
        """, arguments: [source, repacked])
        XCTAssertEqual(result.status, 0, result.stderr)
        let original = try Model.load(from: source)
        let loaded = try Model.load(from: repacked)
        XCTAssertEqual(loaded.weights.map(\.value.scalars), original.weights.map(\.value.scalars))
        XCTAssertEqual(loaded.optimizer?.iterations, original.optimizer?.iterations)
    }
}
