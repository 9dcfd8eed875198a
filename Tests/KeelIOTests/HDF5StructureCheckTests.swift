import Foundation
@testable import KeelIO
import KeelTestSupport
import XCTest

/// The structure check that runs before libhdf5 opens a file: files Keras and Keel write pass
/// it; damage libhdf5 1.10 would follow into wild memory (undefined B-tree children and
/// continuations, continuations past the end, oversized attribute datatypes, names past their
/// heap) is a KeelError naming the file, from the library and from the built `keel`; and no
/// mutation of a real file makes the check itself trap or hang.
final class HDF5StructureCheckTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = ProjectPaths.temporaryDirectory("keel-hdf5-structure")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private static let kerasFiles = ["h5/mlp/model.h5", "h5/mlp/model.weights.h5", "h5/cnn/model.h5",
                                     "h5/ticket/model.h5", "h5/dcgan_generator/model.h5", "h5/mlp_trajectory/after_epoch.h5",
                                     "tfkeras2/functional.h5", "tfkeras2/sequential.h5"]

    private func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: ProjectPaths.sharedFixtures.appendingPathComponent(relativePath)))
    }

    private func write(_ bytes: [UInt8], named name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A file in the layout Keel writes: new-style groups with creation order, dense links
    /// (more than eight children) and dense attributes, one of them over 64 KiB.
    private func keelWrittenFileBytes() throws -> [UInt8] {
        let path = directory.appendingPathComponent("keel_written.h5").path
        try HDF5File.write(to: path) { file in
            try file.root.setAttribute("model_config", String(repeating: "{\"units\": 8}, ", count: 6000))
            for index in 0..<10 { try file.root.setAttribute("setting\(index)", Int64(index)) }
            let weights = try file.root.createGroup("model_weights")
            try weights.setAttribute("layer_names", (0..<12).map { "dense_\($0)" })
            for index in 0..<12 {
                let group = try weights.createGroup("dense_\(index)")
                try group.setAttribute("weight_names", ["kernel", "bias"])
                try group.createDataset("kernel", data: HDF5TestSupport.sampleArray(.float32, shape: [3, 4]))
                try group.createDataset("bias", data: HDF5TestSupport.sampleArray(.float32, shape: [4]))
            }
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testFilesKerasAndKeelWritePass() throws {
        for fixture in Self.kerasFiles {
            XCTAssertNoThrow(try HDF5StructureCheck.check(bytes: try fixtureBytes(fixture), name: fixture), fixture)
            XCTAssertNoThrow(try HDF5StructureCheck.check(ProjectPaths.sharedFixtures.appendingPathComponent(fixture).path))
        }
        let keel = try keelWrittenFileBytes()
        XCTAssertNoThrow(try HDF5StructureCheck.check(bytes: keel, name: "keel_written.h5"))
        XCTAssertEqual(try HDF5TestSupport.walk(try write(keel, named: "keel_again.h5")) > 40, true)
    }

    // MARK: Hand-made damage

    private struct Damage {
        let name: String
        let source: String
        let bytes: [UInt8]
        let mentions: [String]
    }

    private func patched(_ bytes: [UInt8], at offset: UInt64, _ value: UInt64, width: Int) -> [UInt8] {
        var damaged = bytes
        for index in 0..<width { damaged[Int(offset) + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * index)) }
        return damaged
    }

    /// The damaged files, each made by patching a field the check located in a real file.
    private func damagedFiles() throws -> [Damage] {
        let model = try fixtureBytes("h5/mlp/model.h5")
        let marks = try HDF5StructureCheck.landmarks(of: model, name: "model.h5")
        let child = try XCTUnwrap(marks.groupTreeChildren.first, "model.h5 has old-style groups")
        let continuation = try XCTUnwrap(marks.continuationAddresses.first, "model.h5 has a continuation block")
        let continuationLength = try XCTUnwrap(marks.continuationLengths.first)
        let attributeType = try XCTUnwrap(marks.attributeDatatypeSizes.first, "model.h5 has attributes with values")
        let attributeTypeField = try XCTUnwrap(marks.attributeDatatypeFields.first)
        let name = try XCTUnwrap(marks.symbolNameOffsets.first)
        return [
            Damage(name: "btree_child_undefined.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: child, .max, width: 8), mentions: ["B-tree child address", "undefined"]),
            Damage(name: "continuation_undefined.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: continuation, .max, width: 8), mentions: ["continuation block address", "undefined"]),
            Damage(name: "continuation_past_end.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: continuationLength, UInt64(model.count), width: 8),
                   mentions: ["continuation block", "inside the file"]),
            Damage(name: "attribute_type_oversized.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: attributeType, 0x7FFF_FFF0, width: 4), mentions: ["attribute", "inside its message"]),
            Damage(name: "attribute_type_field_oversized.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: attributeTypeField, 0xFFF0, width: 2), mentions: ["attribute datatype", "remain"]),
            Damage(name: "heap_offset_past_heap.h5", source: "h5/mlp/model.h5",
                   bytes: patched(model, at: name.field, name.heapSize + 64, width: 8), mentions: ["local heap", "offset"]),
        ]
    }

    func testHandMadeDamageIsAKeelErrorFromTheLibrary() throws {
        for damage in try damagedFiles() {
            let path = try write(damage.bytes, named: damage.name)
            HDF5TestSupport.assertKeelError(try HDF5File(path), mentions: [path] + damage.mentions)
            HDF5TestSupport.assertKeelError(try HDF5File(path, mode: .readWrite), mentions: [path] + damage.mentions)
        }
    }

    func testHandMadeDamageIsOneErrorLineFromTheBuiltKeel() throws {
        let keel = ProjectPaths.keelExecutable
        guard FileManager.default.isExecutableFile(atPath: keel.path) else {
            return XCTFail("build keel first (swift build): \(keel.path) is missing")
        }
        for damage in try damagedFiles() {
            let path = try write(damage.bytes, named: damage.name)
            let result = try runProcess(keel, ["summary", path], currentDirectory: directory)
            let lines = result.stderr.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            XCTAssertEqual(result.status, 1, "\(damage.name): exit status \(result.status) (a signal kills with 128+n)\n\(result.stderr)")
            XCTAssertEqual(lines.count, 1, "\(damage.name): one error line\n\(result.stderr)")
            XCTAssertTrue(result.stderr.contains(path), "\(damage.name): \(result.stderr)")
            for fragment in damage.mentions {
                XCTAssertTrue(result.stderr.contains(fragment), "\(damage.name) lacks \(fragment): \(result.stderr)")
            }
        }
    }

    /// Files Keel writes keep links and attributes in fractal heaps indexed by v2 B-trees; a
    /// root node or root block outside the file is refused before libhdf5 sees it.
    func testDenseStorageAddressesOutsideTheFileAreKeelErrors() throws {
        let bytes = try keelWrittenFileBytes()
        func firstOffset(of signature: String) throws -> Int {
            let pattern = Array(signature.utf8)
            let found = (0..<bytes.count - pattern.count).first { Array(bytes[$0..<$0 + pattern.count]) == pattern }
            return try XCTUnwrap(found, "a Keel-written file has a \(signature)")
        }
        let beyond = UInt64(bytes.count) + 4096
        // The root node address of a v2 B-tree header, and the root block address of a fractal heap header.
        let treeRoot = try firstOffset(of: "BTHD") + 16
        let heapRoot = try firstOffset(of: "FRHP") + 132
        for (name, field, mentions) in [("tree_root_outside.h5", treeRoot, ["v2 B-tree node", "inside the file"]),
                                        ("heap_root_outside.h5", heapRoot, ["fractal heap", "inside the file"])] {
            let path = try write(patched(bytes, at: UInt64(field), beyond, width: 8), named: name)
            HDF5TestSupport.assertKeelError(try HDF5File(path), mentions: [path, "\(beyond)"] + mentions)
        }
    }

    // MARK: Fuzzing

    func testThousandsOfMutationsNeverTrapTheCheck() throws {
        let sources = [("h5/cnn/model.h5", try fixtureBytes("h5/cnn/model.h5")),
                       ("tfkeras2/sequential.h5", try fixtureBytes("tfkeras2/sequential.h5")),
                       ("h5/mlp/model.weights.h5", try fixtureBytes("h5/mlp/model.weights.h5")),
                       ("written by Keel", try keelWrittenFileBytes())]
        var generator = SplitMix64(seed: 12)
        var variants = 0, refused = 0
        let start = Date()
        for (label, bytes) in sources {
            // Every structure the check reads sits in the file's metadata, mostly near its start.
            let hot = min(bytes.count, 8192)
            for round in 0..<1000 {
                var damaged = bytes
                switch round % 5 {
                case 0:
                    damaged = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
                case 1:
                    damaged[Int.random(in: 0..<hot, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                case 2:
                    for _ in 0..<4 { damaged[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
                case 3:
                    let at = Int.random(in: 0..<(hot - 8), using: &generator) & ~7
                    for index in at..<at + 8 { damaged[index] = 0xFF }
                default:
                    let at = Int.random(in: 0..<(hot - 4), using: &generator)
                    let value = [UInt32.max, 0x7FFF_FFFF, 0x8000_0000, UInt32(bytes.count), 0][Int.random(in: 0..<5, using: &generator)]
                    for index in 0..<4 { damaged[at + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
                }
                variants += 1
                do {
                    try HDF5StructureCheck.check(bytes: damaged, name: "variant.h5")
                } catch let error as KeelError {
                    refused += 1
                    XCTAssertTrue(error.message.hasPrefix("variant.h5"), "\(label) round \(round): \(error.message)")
                } catch {
                    XCTFail("\(label) round \(round): not a KeelError: \(error)")
                }
            }
        }
        XCTAssertEqual(variants, 4000)
        XCTAssertGreaterThan(refused, variants / 4, "truncations and undefined addresses are refused")
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "the check stays fast on damaged files")
    }

    func testEveryTruncationIsRefusedByTheCheck() throws {
        let bytes = try fixtureBytes("tfkeras2/sequential.h5")
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            XCTAssertThrowsError(try HDF5StructureCheck.check(bytes: Array(bytes.prefix(cut)), name: "cut.h5"), "cut at \(cut)")
        }
    }
}
