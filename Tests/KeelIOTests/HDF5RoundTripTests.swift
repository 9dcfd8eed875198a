import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Helpers shared by the HDF5 test files.
enum HDF5TestSupport {
    /// Deterministic values of `type` with `shape`, different for every element.
    static func sampleArray(_ type: ElementType, shape: [Int]) -> ArrayData {
        let count = shape.reduce(1, *)
        let indices = (0..<count).map { $0 }
        switch type {
        case .float32: return ArrayData(indices.map { Float($0) * 0.5 - 3.25 }, shape: shape)
        case .float64: return ArrayData(indices.map { Double($0) / 3 - 1e-9 }, shape: shape)
        case .int8: return ArrayData(indices.map { Int8(truncatingIfNeeded: $0 * 7 - 100) }, shape: shape)
        case .uint8: return ArrayData(indices.map { UInt8(truncatingIfNeeded: $0 * 13 + 200) }, shape: shape)
        case .int16: return ArrayData(indices.map { Int16($0 * 1000 - 30000) }, shape: shape)
        case .int32: return ArrayData(indices.map { Int32($0 * 100_000 - 2_000_000_000) }, shape: shape)
        case .int64: return ArrayData(indices.map { Int64($0) * 3_000_000_000_000 - 9_000_000_000_000_000 }, shape: shape)
        case .bool: return ArrayData(indices.map { $0 % 3 == 0 }, shape: shape)
        }
    }

    static let shapesByRank: [[Int]] = [[], [3], [2, 3], [2, 1, 3], [2, 2, 1, 3]]

    /// Asserts that `body` throws a `KeelError` whose message contains every fragment.
    static func assertKeelError<T>(_ body: @autoclosure () throws -> T, mentions fragments: [String],
                                   file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected a KeelError mentioning \(fragments)", file: file, line: line)
        } catch let error as KeelError {
            for fragment in fragments where !error.message.contains(fragment) {
                XCTFail("\"\(error.message)\" does not mention \"\(fragment)\"", file: file, line: line)
            }
        } catch {
            XCTFail("expected a KeelError, got \(error)", file: file, line: line)
        }
    }

    /// Opens a file and reads everything in it: every group, every dataset's values and every
    /// attribute (as strings or numbers, whichever it holds). Returns a count of what was read.
    @discardableResult
    static func walk(_ path: String) throws -> Int {
        let file = try HDF5File(path)
        defer { try? file.close() }
        return try walk(file.root)
    }

    private static func walk(_ object: HDF5Object) throws -> Int {
        var visited = 1
        for name in try object.attributeNames() {
            let info = try object.attributeInfo(name)
            if info.datatype.isString {
                visited += try object.attributeStrings(name).count
            } else if info.datatype.elementType != nil, info.shape != nil {
                visited += try object.attributeArray(name).count
            }
        }
        if let dataset = object as? HDF5Dataset {
            if dataset.datatype.isString {
                visited += try dataset.readStrings().count
            } else if dataset.elementType != nil {
                visited += try dataset.read().count
            }
        }
        if let group = object as? HDF5Group {
            for child in try group.children() {
                switch child.kind {
                case .group: visited += try walk(group.group(child.name))
                case .dataset: visited += try walk(group.dataset(child.name))
                case .other: visited += 1
                }
            }
        }
        return visited
    }
}

final class HDF5RoundTripTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = ProjectPaths.temporaryDirectory("keel-hdf5")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func testEveryElementTypeAndRankRoundTrips() throws {
        let file = path("arrays.h5")
        try HDF5File.write(to: file) { file in
            for type in ElementType.allCases {
                for shape in HDF5TestSupport.shapesByRank {
                    try file.root.createDataset("arrays/\(type)/rank\(shape.count)",
                                                data: HDF5TestSupport.sampleArray(type, shape: shape))
                }
                try file.root.createDataset("arrays/\(type)/empty", data: HDF5TestSupport.sampleArray(type, shape: [0, 4]))
            }
        }
        let reopened = try HDF5File(file)
        for type in ElementType.allCases {
            for shape in HDF5TestSupport.shapesByRank + [[0, 4]] {
                let name = shape == [0, 4] ? "empty" : "rank\(shape.count)"
                let dataset = try reopened.root.dataset("arrays/\(type)/\(name)")
                XCTAssertEqual(dataset.shape, shape, "\(type) \(name)")
                XCTAssertEqual(dataset.elementType, type)
                XCTAssertEqual(try dataset.read(), HDF5TestSupport.sampleArray(type, shape: shape), "\(type) \(name)")
            }
        }
        XCTAssertEqual(try reopened.root.group("arrays").childNames(), ElementType.allCases.map(\.rawValue))
    }

    func testTypedReadsConvertNumbersToFloatAndRejectLossyRequests() throws {
        let file = path("convert.h5")
        try HDF5File.write(to: file) { file in
            try file.root.createDataset("f64", data: ArrayData([1.5, -2.25, 1e300], shape: [3]))
            try file.root.createDataset("i32", data: ArrayData([Int32(-7), 8], shape: [2]))
            try file.root.createDataset("i64", data: ArrayData([Int64(1) << 40], shape: []))
            try file.root.createDataset("u8", data: ArrayData([UInt8(255), 0], shape: [1, 2]))
            try file.root.createDataset("flags", data: ArrayData([true, false, true], shape: [3]))
            try file.root.createDataset("f32", data: ArrayData([Float(0.5), 2], shape: [2]))
            try file.root.createDataset("names", strings: ["a", "b"])
        }
        let root = try HDF5File(file).root
        XCTAssertEqual(try root.dataset("f64").readFloats(), [1.5, -2.25, .infinity])
        XCTAssertEqual(try root.dataset("i32").readFloats(shape: [2]), [-7, 8])
        XCTAssertEqual(try root.dataset("i64").readScalar(as: Float.self), Float(1 << 40))
        XCTAssertEqual(try root.dataset("u8").readValues(as: Int32.self), [255, 0])
        XCTAssertEqual(try root.dataset("u8").read(as: .float64).values(as: Double.self), [255, 0])
        XCTAssertEqual(try root.dataset("flags").readFloats(), [1, 0, 1])
        XCTAssertEqual(try root.dataset("flags").readValues(as: Bool.self), [true, false, true])
        XCTAssertEqual(try root.dataset("i32").readValues(as: Int64.self), [-7, 8])
        XCTAssertEqual(try root.dataset("names").readStrings(), ["a", "b"])

        HDF5TestSupport.assertKeelError(try root.dataset("f32").readValues(as: Int32.self),
                                        mentions: [file, "/f32", "int32", "float32"])
        HDF5TestSupport.assertKeelError(try root.dataset("i64").readValues(as: Int32.self), mentions: [file, "int64"])
        HDF5TestSupport.assertKeelError(try root.dataset("f32").readFloats(shape: [3]),
                                        mentions: [file, "shape [3]", "shape [2]"])
        HDF5TestSupport.assertKeelError(try root.dataset("i64").readValues(as: Float.self, shape: [1]),
                                        mentions: ["shape [1]", "scalar"])
        HDF5TestSupport.assertKeelError(try root.dataset("names").read(), mentions: [file, "/names", "string"])
        HDF5TestSupport.assertKeelError(try root.dataset("f32").readStrings(), mentions: [file, "strings", "float32"])
        HDF5TestSupport.assertKeelError(try root.dataset("f32").readScalar(as: Float.self), mentions: ["single"])
    }

    func testEveryAttributeKindRoundTripsOnFileGroupAndDataset() throws {
        let file = path("attributes.h5")
        let config = String(repeating: "{\"layer\": \"dénse\"}, ", count: 12_000)  // far over 64 KiB
        try HDF5File.write(to: file) { file in
            let dataset = try file.root.createDataset("weights/kernel", data: HDF5TestSupport.sampleArray(.float32, shape: [2, 2]))
            for object in [file.root, try file.root.group("weights"), dataset] as [HDF5Object] {
                try object.setAttribute("vlen", "jax ✓")
                try object.setAttribute("fixed", "2.13.1", encoding: .fixedLengthBytes)
                try object.setAttribute("vlen_list", ["dense", "dense_1", ""])
                try object.setAttribute("fixed_list", ["dense/kernel:0", "b"], encoding: .fixedLengthBytes)
                try object.setAttribute("empty_list", [String]())
                try object.setAttribute("int", Int64(-42))
                try object.setAttribute("float", 0.25)
                try object.setAttribute("flag", true)
                try object.setAttribute("ints", [Int32(1), 2, 3])
                try object.setAttribute("matrix", HDF5TestSupport.sampleArray(.float64, shape: [2, 3]))
            }
            try file.root.setAttribute("model_config", config)
            try file.root.setAttribute("replaced", 1.0)
            try file.root.setAttribute("replaced", "now a string")
            try file.root.setAttribute("epochs", 3)
            try file.root.setAttribute("input_shape", [28, 28, 1])
            // Reading back while writing: strings come from the file, so it is flushed first.
            XCTAssertEqual(try file.root.attributeString("replaced"), "now a string")
            XCTAssertEqual(try dataset.attributeStrings("vlen_list"), ["dense", "dense_1", ""])
            XCTAssertEqual(try file.root.attributeString("model_config"), config)
        }
        let root = try HDF5File(file).root
        let dataset = try root.dataset("weights/kernel")
        for object in [root, try root.group("weights"), dataset] as [HDF5Object] {
            XCTAssertEqual(try object.attributeString("vlen"), "jax ✓")
            XCTAssertEqual(try object.attributeString("fixed"), "2.13.1")
            XCTAssertEqual(try object.attributeStrings("vlen_list"), ["dense", "dense_1", ""])
            XCTAssertEqual(try object.attributeStrings("fixed_list"), ["dense/kernel:0", "b"])
            XCTAssertEqual(try object.attributeStrings("empty_list"), [])
            XCTAssertEqual(try object.attributeStrings("vlen"), ["jax ✓"])
            XCTAssertEqual(try object.attributeValue("int", as: Int64.self), -42)
            XCTAssertEqual(try object.attributeValue("int", as: Double.self), -42)
            XCTAssertEqual(try object.attributeValue("float", as: Double.self), 0.25)
            XCTAssertEqual(try object.attributeValue("flag", as: Bool.self), true)
            XCTAssertEqual(try object.attributeValues("ints", as: Int32.self), [1, 2, 3])
            XCTAssertEqual(try object.attributeArray("matrix"), HDF5TestSupport.sampleArray(.float64, shape: [2, 3]))
            XCTAssertEqual(try object.attributeInfo("vlen").datatype, .variableLengthString)
            XCTAssertEqual(try object.attributeInfo("vlen").shape, [])
            XCTAssertEqual(try object.attributeInfo("fixed_list").datatype, .fixedLengthString(byteCount: 14))
            XCTAssertEqual(try object.attributeInfo("ints").shape, [3])
            XCTAssertTrue(try object.hasAttribute("flag"))
            XCTAssertFalse(try object.hasAttribute("nope"))
            HDF5TestSupport.assertKeelError(try object.attributeString("nope"), mentions: [file, "'nope'", "vlen"])
            HDF5TestSupport.assertKeelError(try object.attributeString("int"), mentions: [file, "string", "int64"])
            HDF5TestSupport.assertKeelError(try object.attributeString("vlen_list"), mentions: ["single string"])
            HDF5TestSupport.assertKeelError(try object.attributeValue("float", as: Int32.self), mentions: ["int32", "float64"])
            HDF5TestSupport.assertKeelError(try object.attributeArray("vlen"), mentions: ["numbers", "string"])
        }
        XCTAssertEqual(try root.attributeString("model_config"), config)
        XCTAssertEqual(try root.attributeString("replaced"), "now a string")
        XCTAssertEqual(try root.attributeValue("epochs", as: Int64.self), 3)
        XCTAssertEqual(try root.attributeValues("input_shape", as: Int64.self), [28, 28, 1])
        XCTAssertEqual(try dataset.attributeNames(),
                       ["vlen", "fixed", "vlen_list", "fixed_list", "empty_list", "int", "float", "flag", "ints", "matrix"])
    }

    func testGroupsNestAndListInCreationOrder() throws {
        let file = path("groups.h5")
        try HDF5File.write(to: file) { file in
            let weights = try file.root.createGroup("model_weights/dense/dense")
            try weights.createDataset("kernel", data: HDF5TestSupport.sampleArray(.float32, shape: [3, 2]))
            try weights.createDataset("bias", data: HDF5TestSupport.sampleArray(.float32, shape: [2]))
            for name in ["zeta", "alpha", "mid"] { try file.root.createGroup("order/\(name)") }
            try file.root.group("order").createDataset("beta", data: ArrayData([Int32(1)], shape: []))
            XCTAssertEqual(try file.root.requireGroup("model_weights/dense").path, "/model_weights/dense")
            XCTAssertEqual(try weights.requireGroup("/order").path, "/order")
            HDF5TestSupport.assertKeelError(try file.root.createGroup("order/mid"), mentions: ["/order/mid", "already"])
            HDF5TestSupport.assertKeelError(try file.root.createGroup("order/beta/x"), mentions: ["order/beta"])
            HDF5TestSupport.assertKeelError(try file.root.createDataset("order/beta", data: ArrayData([1.0], shape: [])),
                                            mentions: ["beta", "already"])
        }
        let root = try HDF5File(file).root
        XCTAssertEqual(try root.group("order").childNames(), ["zeta", "alpha", "mid", "beta"])
        XCTAssertEqual(try root.group("order").children().map(\.kind), [.group, .group, .group, .dataset])
        XCTAssertEqual(try root.childNames(), ["model_weights", "order"])
        XCTAssertEqual(try root.kind(of: "model_weights/dense/dense/kernel"), .dataset)
        XCTAssertEqual(try root.kind(of: "/model_weights/dense"), .group)
        XCTAssertNil(try root.kind(of: "model_weights/missing/kernel"))
        XCTAssertNil(try root.kind(of: "model_weights/dense/dense/kernel/below_a_dataset"))
        XCTAssertTrue(try root.contains("order/beta"))
        XCTAssertFalse(try root.contains("order/gamma"))
        let dense = try root.group("model_weights/dense")
        XCTAssertEqual(dense.path, "/model_weights/dense")
        XCTAssertEqual(dense.name, "dense")
        XCTAssertEqual(try dense.dataset("dense/bias").path, "/model_weights/dense/dense/bias")
        XCTAssertEqual(try dense.dataset("/order/beta").readScalar(as: Int32.self), 1)
        HDF5TestSupport.assertKeelError(try root.group("model_weights/dense/dense/kernel"),
                                        mentions: [file, "a group", "a dataset"])
        HDF5TestSupport.assertKeelError(try root.dataset("model_weights/dense"), mentions: [file, "a dataset", "a group"])
        HDF5TestSupport.assertKeelError(try root.group("model_weights/nope"),
                                        mentions: [file, "model_weights/nope", "nothing", "model_weights, order"])
        HDF5TestSupport.assertKeelError(try root.dataset(""), mentions: [file, "non-empty"])
    }

    func testReadWriteModeEditsInPlaceAndReadOnlyModeRefusesWrites() throws {
        let file = path("edit.h5")
        try HDF5File.write(to: file) { file in
            try file.root.createDataset("w", data: ArrayData([1.0, 2.0], shape: [2]))
            try file.root.createDataset("gone", data: ArrayData([Int8(1)], shape: [1]))
        }
        let readOnly = try HDF5File(file)
        HDF5TestSupport.assertKeelError(try readOnly.root.setAttribute("x", 1.0), mentions: [file, "'x'"])
        HDF5TestSupport.assertKeelError(try readOnly.root.createGroup("g"), mentions: [file, "g"])
        try readOnly.close()

        let editable = try HDF5File(file, mode: .readWrite)
        try editable.root.dataset("w").write(ArrayData([Float(5), 6], shape: [2]))
        try editable.root.setAttribute("epoch", Int32(3))
        try editable.root.removeChild("gone")
        HDF5TestSupport.assertKeelError(try editable.root.dataset("w").write(ArrayData([Float(5)], shape: [1])),
                                        mentions: [file, "/w", "shape [2]"])
        try editable.close()

        let root = try HDF5File(file).root
        XCTAssertEqual(try root.dataset("w").readValues(as: Double.self), [5, 6])
        XCTAssertEqual(try root.dataset("w").elementType, .float64)
        XCTAssertEqual(try root.attributeValue("epoch", as: Int64.self), 3)
        XCTAssertEqual(try root.childNames(), ["w"])
    }

    func testClosingTheFileClosesObjectsStillHeld() throws {
        let file = path("closed.h5")
        var escaped: HDF5Group?
        try HDF5File.write(to: file) { file in
            escaped = try file.root.createGroup("kept")
            try escaped?.setAttribute("note", "written before close")
        }
        HDF5TestSupport.assertKeelError(try escaped?.childNames(), mentions: [file, "closed"])
        let opened = try HDF5File(file)
        let group = try opened.root.group("kept")
        XCTAssertEqual(try group.attributeString("note"), "written before close")
        try opened.close()
        XCTAssertFalse(opened.isOpen)
        try opened.close()
        HDF5TestSupport.assertKeelError(try group.attributeNames(), mentions: [file, "closed"])
        HDF5TestSupport.assertKeelError(try opened.root.group("kept"), mentions: [file, "closed"])
    }

    func testConcurrentReadersShareTheLibrarySafely() throws {
        let file = path("shared.h5")
        let data = HDF5TestSupport.sampleArray(.float32, shape: [64, 16])
        try HDF5File.write(to: file) { file in
            for index in 0..<8 { try file.root.createDataset("layer\(index)/kernel", data: data) }
            try file.root.setAttribute("layer_names", (0..<8).map { "layer\($0)" })
        }
        let failures = NSLock()
        var failureMessages: [String] = []
        DispatchQueue.concurrentPerform(iterations: 16) { iteration in
            do {
                let opened = try HDF5File(file)
                for name in try opened.root.attributeStrings("layer_names") {
                    guard try opened.root.dataset("\(name)/kernel").read() == data else {
                        throw KeelError("iteration \(iteration): \(name) read back different values")
                    }
                }
            } catch {
                failures.lock()
                failureMessages.append("\(error)")
                failures.unlock()
            }
        }
        XCTAssertEqual(failureMessages, [])
    }
}
