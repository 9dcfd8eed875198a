import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Real Keras checkpoints (Keras 3 legacy .h5, Keras 3 .weights.h5, tf.keras 2 .h5 with
/// fixed-length byte strings): Keel sees exactly what h5py sees.
final class HDF5FixtureTests: XCTestCase {
    private func fixture(_ relativePath: String) -> String {
        ProjectPaths.sharedFixtures.appendingPathComponent(relativePath).path
    }

    /// h5py's view of a file: every object with its children (in h5py's iteration order),
    /// attributes (strings decoded, numbers as floats) and datasets (dtype, shape, and an
    /// FNV-1a hash of the little-endian bytes).
    private static let h5pyReport = #"""
import sys, json
import numpy as np, h5py

def fnv(data):
    value = 0xcbf29ce484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return format(value, "016x")

def attribute(obj, name):
    value = obj.attrs[name]
    kind = obj.attrs.get_id(name).dtype.kind
    if kind in "OSU":
        values = value.ravel().tolist() if isinstance(value, np.ndarray) else [value]
        return {"strings": [v.decode("utf-8") if isinstance(v, bytes) else v for v in values],
                "fixed": kind == "S"}
    return {"numbers": np.asarray(value, dtype=np.float64).ravel().tolist()}

report = {}
def describe(name, obj):
    entry = {"attrs": {key: attribute(obj, key) for key in obj.attrs}}
    if isinstance(obj, h5py.Dataset):
        data = np.ascontiguousarray(obj[()])
        entry.update(dtype=str(obj.dtype), shape=list(obj.shape),
                     hash=fnv(data.astype(data.dtype.newbyteorder("<")).tobytes()))
    else:
        entry["children"] = list(obj.keys())
    report["/" + name if name else "/"] = entry

with h5py.File(sys.argv[1], "r") as f:
    describe("", f)
    f.visititems(describe)
print(json.dumps(report))
"""#

    private static func fnv(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xcbf29ce484222325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100000001b3 }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Keel's view of the file in the same shape as `h5pyReport`.
    private static func keelReport(_ path: String) throws -> [String: [String: Any]] {
        var report: [String: [String: Any]] = [:]
        func describe(_ object: HDF5Object) throws {
            var attributes: [String: Any] = [:]
            for name in try object.attributeNames() {
                let info = try object.attributeInfo(name)
                if info.datatype.isString {
                    attributes[name] = ["strings": try object.attributeStrings(name),
                                        "fixed": info.datatype != .variableLengthString]
                } else {
                    attributes[name] = ["numbers": try object.attributeArray(name).floatValues()]
                }
            }
            var entry: [String: Any] = ["attrs": attributes]
            if let dataset = object as? HDF5Dataset {
                entry["dtype"] = dataset.elementType?.rawValue
                entry["shape"] = dataset.shape
                entry["hash"] = fnv(try dataset.read().bytes)
            }
            if let group = object as? HDF5Group {
                let children = try group.children()
                entry["children"] = children.map(\.name)
                for child in children {
                    try describe(child.kind == .group ? group.group(child.name) : group.dataset(child.name))
                }
            }
            report[object.path] = entry
        }
        let file = try HDF5File(path)
        defer { try? file.close() }
        try describe(file.root)
        return report
    }

    private func assertKeelMatchesH5py(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try HDF5InteropTests.pythonJSON(Self.h5pyReport, arguments: [path])
        let actual = try Self.keelReport(path)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys), path, file: file, line: line)
        XCTAssertGreaterThan(expected.values.filter { ($0 as? [String: Any])?["hash"] != nil }.count, 3, path,
                             file: file, line: line)
        for (objectPath, value) in expected {
            let want = try XCTUnwrap(value as? [String: Any], file: file, line: line)
            let got = try XCTUnwrap(actual[objectPath], "\(path) \(objectPath)", file: file, line: line)
            let label = "\(path) \(objectPath)"
            XCTAssertEqual(got["children"] as? [String], want["children"] as? [String], label, file: file, line: line)
            XCTAssertEqual(got["dtype"] as? String, want["dtype"] as? String, label, file: file, line: line)
            XCTAssertEqual(got["shape"] as? [Int], want["shape"] as? [Int], label, file: file, line: line)
            XCTAssertEqual(got["hash"] as? String, want["hash"] as? String, label, file: file, line: line)
            let wantAttributes = try XCTUnwrap(want["attrs"] as? [String: [String: Any]], label, file: file, line: line)
            let gotAttributes = try XCTUnwrap(got["attrs"] as? [String: [String: Any]], label, file: file, line: line)
            XCTAssertEqual(Set(gotAttributes.keys), Set(wantAttributes.keys), label, file: file, line: line)
            for (name, wantAttribute) in wantAttributes {
                let gotAttribute = gotAttributes[name] ?? [:]
                XCTAssertEqual(gotAttribute["strings"] as? [String], wantAttribute["strings"] as? [String],
                               "\(label) @\(name)", file: file, line: line)
                XCTAssertEqual(gotAttribute["fixed"] as? Bool, wantAttribute["fixed"] as? Bool,
                               "\(label) @\(name)", file: file, line: line)
                XCTAssertEqual(gotAttribute["numbers"] as? [Float], (wantAttribute["numbers"] as? [Double])?.map { Float($0) },
                               "\(label) @\(name)", file: file, line: line)
            }
        }
    }

    func testEveryFixtureReadsAsH5pyReadsIt() throws {
        for path in ["h5/mlp/model.h5", "h5/mlp/model.weights.h5", "h5/cnn/model.h5",
                     "tfkeras2/sequential.h5", "tfkeras2/functional.h5"] {
            try assertKeelMatchesH5py(fixture(path))
        }
    }

    func testKerasLegacyModelFile() throws {
        let file = try HDF5File(fixture("h5/mlp/model.h5"))
        let root = file.root
        XCTAssertEqual(try root.attributeString("keras_version"), "3.15.1")
        XCTAssertEqual(try root.attributeString("backend"), "jax")
        let config = try JSONSerialization.jsonObject(with: Data(try root.attributeString("model_config").utf8))
        XCTAssertEqual((config as? [String: Any])?["class_name"] as? String, "Functional")
        let weights = try root.group("model_weights")
        let layers = try weights.attributeStrings("layer_names")
        XCTAssertEqual(Array(layers.prefix(1)), ["digits"])
        XCTAssertTrue(layers.contains("predictions"))
        XCTAssertEqual(try weights.group("dense").attributeStrings("weight_names"), ["dense/kernel", "dense/bias"])
        XCTAssertEqual(try weights.group("digits").attributeStrings("weight_names"), [])
        let kernel = try weights.group("dense").dataset("dense/kernel")
        XCTAssertEqual(kernel.shape, [784, 64])
        XCTAssertEqual(kernel.elementType, .float32)
        XCTAssertEqual(try kernel.readFloats(shape: [784, 64]).count, 784 * 64)
        XCTAssertEqual(try root.dataset("optimizer_weights/adam/iteration").readScalar(as: Int64.self), 3)
        HDF5TestSupport.assertKeelError(try kernel.readFloats(shape: [64, 784]), mentions: [file.path, "dense/kernel", "[784, 64]"])
    }

    func testKeras3WeightsFile() throws {
        let root = try HDF5File(fixture("h5/mlp/model.weights.h5")).root
        XCTAssertEqual(try root.group("layers").childNames(), ["dense", "dense_1", "dense_2", "input_layer"])
        let vars = try root.group("layers/dense_2/vars")
        XCTAssertEqual(try vars.attributeString("name"), "predictions")
        XCTAssertEqual(try vars.childNames(), ["0", "1"])
        XCTAssertEqual(try vars.dataset("0").shape, [64, 10])
        XCTAssertEqual(try vars.dataset("1").readFloats(shape: [10]).count, 10)
        XCTAssertEqual(try root.group("layers/input_layer/vars").childNames(), [])
    }

    func testTFKeras2FixedLengthStrings() throws {
        let root = try HDF5File(fixture("tfkeras2/sequential.h5")).root
        XCTAssertEqual(try root.attributeInfo("keras_version").datatype, .fixedLengthString(byteCount: 6))
        XCTAssertEqual(try root.attributeString("keras_version"), "2.13.1")
        XCTAssertEqual(try root.attributeString("backend"), "tensorflow")
        let config = try JSONSerialization.jsonObject(with: Data(try root.attributeString("model_config").utf8))
        XCTAssertEqual((config as? [String: Any])?["class_name"] as? String, "Sequential")
        XCTAssertEqual(try root.group("model_weights").attributeStrings("layer_names"), ["dense", "dense_1"])
        XCTAssertEqual(try root.group("model_weights/dense").attributeStrings("weight_names"),
                       ["dense/kernel:0", "dense/bias:0"])
        XCTAssertEqual(try root.dataset("model_weights/dense/dense/kernel:0").shape, [4, 5])
        XCTAssertEqual(try root.dataset("optimizer_weights/Adam/iter:0").datatype, .integer(signed: true, byteCount: 8))
        let functional = try HDF5File(fixture("tfkeras2/functional.h5")).root
        XCTAssertEqual(try functional.group("model_weights").attributeStrings("layer_names").first, "input_1")
    }
}
