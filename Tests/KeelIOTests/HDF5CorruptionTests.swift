import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Bad input never crashes and never yields a partial object: it throws a KeelError that
/// names the file. Writes are atomic.
final class HDF5CorruptionTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = ProjectPaths.temporaryDirectory("keel-hdf5-corrupt")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        let url = ProjectPaths.sharedFixtures.appendingPathComponent(relativePath)
        return [UInt8](try Data(contentsOf: url))
    }

    private func write(_ bytes: [UInt8], named name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Walks the file; a failure must be a KeelError naming the file. Returns whether it threw.
    private func walkExpectingKeelErrorOrSuccess(_ path: String, _ label: String,
                                                 file: StaticString = #filePath, line: UInt = #line) -> Bool {
        do {
            try HDF5TestSupport.walk(path)
            return false
        } catch let error as KeelError {
            XCTAssertTrue(error.message.contains(path), "\(label): \(error.message)", file: file, line: line)
            return true
        } catch {
            XCTFail("\(label): expected a KeelError, got \(error)", file: file, line: line)
            return true
        }
    }

    func testMissingEmptyGarbageAndNonRegularFilesThrowClearErrors() throws {
        let missing = directory.appendingPathComponent("missing.h5").path
        HDF5TestSupport.assertKeelError(try HDF5File(missing), mentions: [missing, "no such file"])
        HDF5TestSupport.assertKeelError(try HDF5File(directory.path), mentions: [directory.path, "a directory"])
        let empty = try write([], named: "empty.h5")
        HDF5TestSupport.assertKeelError(try HDF5File(empty), mentions: [empty, "empty file"])
        let tiny = try write([0x89, 0x48, 0x44], named: "tiny.h5")
        HDF5TestSupport.assertKeelError(try HDF5File(tiny), mentions: [tiny, "3 bytes"])
        var generator = SystemRandomNumberGenerator()
        let garbage = try write((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }, named: "garbage.h5")
        HDF5TestSupport.assertKeelError(try HDF5File(garbage), mentions: [garbage, "an HDF5 file", "starting with"])
        let zip = try write([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60), named: "model.keras")
        HDF5TestSupport.assertKeelError(try HDF5File(zip), mentions: [zip, "50 4B 03 04"])
        let signatureOnly = try write([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0xAB, count: 200),
                                      named: "signature_only.h5")
        HDF5TestSupport.assertKeelError(try HDF5File(signatureOnly), mentions: [signatureOnly, "HDF5"])
        XCTAssertFalse(HDF5File.hasSignature(garbage))
        XCTAssertTrue(HDF5File.hasSignature(signatureOnly))
    }

    func testTruncatedFilesThrowAtEveryOffset() throws {
        for fixture in ["h5/cnn/model.h5", "h5/mlp/model.weights.h5", "tfkeras2/sequential.h5"] {
            let bytes = try fixtureBytes(fixture)
            let offsets = [1, 8, 40, 95, 200, 700] + (1...14).map { bytes.count * $0 / 15 }
            var threw = 0
            for offset in offsets {
                let path = try write(Array(bytes[..<offset]), named: "truncated_\(offset).h5")
                if walkExpectingKeelErrorOrSuccess(path, "\(fixture) cut at \(offset)") { threw += 1 }
            }
            // HDF5 records the file's end address; every cut above removes bytes it needs.
            XCTAssertEqual(threw, offsets.count, fixture)
        }
    }

    func testFlippedHeaderBytesNeverCrash() throws {
        let bytes = try fixtureBytes("h5/cnn/model.h5")
        var threw = 0
        for offset in 0..<256 {
            var damaged = bytes
            damaged[offset] ^= 0xFF
            let path = try write(damaged, named: "flipped_header_\(offset).h5")
            if walkExpectingKeelErrorOrSuccess(path, "byte \(offset) flipped") { threw += 1 }
        }
        XCTAssertGreaterThan(threw, 64, "most superblock and root-group bytes matter")
    }

    /// A file in the layout Keel writes: new-style groups that track creation order, dense
    /// attribute storage (more than eight attributes, a model_config over 64 KiB).
    private func keelWrittenFileBytes() throws -> [UInt8] {
        let path = directory.appendingPathComponent("keel_written.h5").path
        try HDF5File.write(to: path) { file in
            try file.root.setAttribute("model_config", String(repeating: "{\"units\": 8}, ", count: 6000))
            for index in 0..<10 { try file.root.setAttribute("setting\(index)", Int64(index)) }
            let weights = try file.root.createGroup("model_weights")
            try weights.setAttribute("layer_names", ["dense", "dense_1"])
            try weights.setAttribute("backend", "tensorflow", encoding: .fixedLengthBytes)
            for layer in ["dense", "dense_1"] {
                let group = try weights.createGroup(layer)
                try group.setAttribute("weight_names", ["\(layer)/kernel", "\(layer)/bias"])
                try group.createDataset("\(layer)/kernel", data: HDF5TestSupport.sampleArray(.float32, shape: [3, 4]))
                try group.createDataset("\(layer)/bias", data: HDF5TestSupport.sampleArray(.float32, shape: [4]))
            }
            for index in 0..<12 { try file.root.createGroup("many/group\(index)") }
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testFlippedBytesThroughoutTheFileNeverCrash() throws {
        let sources = [("h5/cnn/model.h5", try fixtureBytes("h5/cnn/model.h5")),
                       ("tfkeras2/functional.h5", try fixtureBytes("tfkeras2/functional.h5")),
                       ("written by Keel", try keelWrittenFileBytes())]
        for (number, (fixture, bytes)) in sources.enumerated() {
            for step in 0..<120 {
                let offset = 256 + (bytes.count - 256) * step / 120
                var damaged = bytes
                for index in offset..<min(offset + 4, bytes.count) { damaged[index] = ~damaged[index] }
                let path = try write(damaged, named: "flipped_\(number)_\(offset).h5")
                _ = walkExpectingKeelErrorOrSuccess(path, "\(fixture) bytes \(offset)..<\(offset + 4) flipped")
            }
        }
    }

    func testFailedWriteLeavesTheExistingFileUntouchedAndNoTemporaryFile() throws {
        struct Interrupted: Error {}
        let path = directory.appendingPathComponent("checkpoint.h5").path
        try HDF5File.write(to: path) { file in
            try file.root.setAttribute("epoch", Int64(1))
            try file.root.createDataset("w", data: ArrayData([Float(1), 2], shape: [2]))
        }
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        XCTAssertThrowsError(try HDF5File.write(to: path) { file in
            try file.root.setAttribute("epoch", Int64(2))
            try file.root.createDataset("w", data: ArrayData([Float(3), 4], shape: [2]))
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted, "\($0)") }
        HDF5TestSupport.assertKeelError(try HDF5File.write(to: path) { file in
            try file.root.createDataset("w", data: ArrayData([Float(3)], shape: [1]))
            _ = try file.root.group("no/such/group")
        }, mentions: [path, "no/such/group"])

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["checkpoint.h5"])
        XCTAssertEqual(try HDF5File(path).root.attributeValue("epoch", as: Int64.self), 1)

        let elsewhere = directory.appendingPathComponent("no_such_directory/model.h5").path
        HDF5TestSupport.assertKeelError(try HDF5File.write(to: elsewhere) { _ in }, mentions: [elsewhere, "directory"])

        try HDF5File.write(to: path) { file in try file.root.setAttribute("epoch", Int64(3)) }
        XCTAssertEqual(try HDF5File(path).root.attributeValue("epoch", as: Int64.self), 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["checkpoint.h5"])
    }
}
