import Foundation
import KeelIO
import KeelTestSupport
import XCTest

/// Keel and h5py read each other's files: h5py is what Keras saves and loads with.
final class HDF5InteropTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = ProjectPaths.temporaryDirectory("keel-hdf5-interop")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a Python script with h5py and returns its stdout parsed as JSON.
    static func pythonJSON(_ script: String, arguments: [String]) throws -> [String: Any] {
        let result = try runPython(script, arguments: arguments)
        guard result.status == 0 else {
            throw KeelError("python exited with \(result.status): \(result.stderr)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        guard let dictionary = json as? [String: Any] else { throw KeelError("python printed \(result.stdout)") }
        return dictionary
    }

    private static let h5pyWriter = #"""
import sys, json
import numpy as np, h5py
path = sys.argv[1]
expected = {}
with h5py.File(path, "w") as f:
    f.attrs["vlen"] = "jax ✓"
    f.attrs["bytes_scalar"] = np.bytes_(b"2.13.1")
    f.attrs["fixed_array"] = np.array([b"dense", b"dense_1"])
    f.attrs["vlen_array"] = np.array(["a", "bé", ""], dtype=h5py.string_dtype())
    f.attrs["str_list"] = ["x", "yz"]
    f.attrs.create("ascii_vlen", b"ascii bytes", dtype=h5py.string_dtype("ascii"))
    f.attrs["int"] = 7
    f.attrs["float"] = 0.5
    f.attrs["float32"] = np.float32(1.5)
    f.attrs["ints"] = np.array([1, 2, 3], dtype=np.int32)
    f.attrs["floats"] = np.array([[1.5, 2.5]])
    f.attrs["empty_floats"] = np.array([])
    f.attrs["flag"] = np.bool_(True)
    f.attrs["empty"] = h5py.Empty("f")
    data = f.create_group("data")
    for name in ["float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]:
        values = (np.arange(24) * 37 % 11 - 5)
        values = values.astype(name) if name != "bool" else values > 0
        for rank, shape in enumerate([(), (4,), (2, 3), (2, 1, 3), (2, 2, 1, 3)]):
            array = values[:int(np.prod(shape))].reshape(shape)
            data.create_dataset(f"{name}/rank{rank}", data=array)
            expected[f"data/{name}/rank{rank}"] = {"shape": list(shape), "values": array.ravel().astype(float).tolist()}
    f.create_dataset("big_endian", data=np.array([1.5, -2.0], dtype=">f4"))
    f.create_dataset("compressed", data=np.arange(1000, dtype=np.float32).reshape(10, 100),
                     chunks=(5, 50), compression="gzip", shuffle=True)
    f.create_dataset("half", data=np.array([0.5, -1.0], dtype=np.float16))
    f.create_dataset("uint16", data=np.array([65535, 1], dtype=np.uint16))
    f.create_dataset("strings", data=["alpha", "béta"], dtype=h5py.string_dtype())
    ordered = f.create_group("ordered", track_order=True)
    unordered = f.create_group("unordered")
    for name in ["zeta", "alpha", "mid"]:
        ordered.create_group(name)
        unordered.create_group(name)
    ordered.attrs["b"] = 1
    ordered.attrs["a"] = 2
print(json.dumps(expected))
"""#

    func testKeelReadsEveryKindH5pyWrites() throws {
        let path = directory.appendingPathComponent("from_h5py.h5").path
        let expected = try Self.pythonJSON(Self.h5pyWriter, arguments: [path])
        let file = try HDF5File(path)
        let root = file.root

        XCTAssertEqual(try root.attributeString("vlen"), "jax ✓")
        XCTAssertEqual(try root.attributeString("bytes_scalar"), "2.13.1")
        XCTAssertEqual(try root.attributeInfo("bytes_scalar").datatype, .fixedLengthString(byteCount: 6))
        XCTAssertEqual(try root.attributeStrings("fixed_array"), ["dense", "dense_1"])
        XCTAssertEqual(try root.attributeInfo("fixed_array").datatype, .fixedLengthString(byteCount: 7))
        XCTAssertEqual(try root.attributeStrings("vlen_array"), ["a", "bé", ""])
        XCTAssertEqual(try root.attributeStrings("str_list"), ["x", "yz"])
        XCTAssertEqual(try root.attributeString("ascii_vlen"), "ascii bytes")
        XCTAssertEqual(try root.attributeValue("int", as: Int64.self), 7)
        XCTAssertEqual(try root.attributeValue("float", as: Double.self), 0.5)
        XCTAssertEqual(try root.attributeValue("float32", as: Float.self), 1.5)
        XCTAssertEqual(try root.attributeValues("ints", as: Int32.self), [1, 2, 3])
        XCTAssertEqual(try root.attributeArray("floats"), ArrayData([1.5, 2.5], shape: [1, 2]))
        XCTAssertEqual(try root.attributeStrings("empty_floats"), [])
        XCTAssertEqual(try root.attributeValue("flag", as: Bool.self), true)
        XCTAssertNil(try root.attributeInfo("empty").shape)
        XCTAssertEqual(try root.attributeStrings("empty"), [])
        HDF5TestSupport.assertKeelError(try root.attributeArray("empty"), mentions: [path, "'empty'", "null"])
        XCTAssertEqual(try root.attributeNames(), try root.attributeNames().sorted(), "h5py's default is name order")

        for (datasetPath, value) in expected {
            let entry = try XCTUnwrap(value as? [String: Any])
            let dataset = try root.dataset(datasetPath)
            XCTAssertEqual(dataset.shape, entry["shape"] as? [Int], datasetPath)
            let type = try XCTUnwrap(ElementType(rawValue: datasetPath.split(separator: "/")[1].description))
            XCTAssertEqual(dataset.elementType, type, datasetPath)
            XCTAssertEqual(try dataset.read().floatValues(), (entry["values"] as? [Double])?.map { Float($0) }, datasetPath)
        }
        XCTAssertEqual(try root.dataset("big_endian").read(), ArrayData([Float(1.5), -2], shape: [2]))
        XCTAssertEqual(try root.dataset("compressed").readFloats(shape: [10, 100]), (0..<1000).map(Float.init))
        XCTAssertNil(try root.dataset("half").elementType)
        XCTAssertEqual(try root.dataset("half").datatype, .float(byteCount: 2))
        XCTAssertEqual(try root.dataset("half").readFloats(), [0.5, -1])
        XCTAssertEqual(try root.dataset("uint16").readValues(as: Int32.self), [65535, 1])
        HDF5TestSupport.assertKeelError(try root.dataset("uint16").read(), mentions: [path, "/uint16", "uint16"])
        XCTAssertEqual(try root.dataset("strings").readStrings(), ["alpha", "béta"])
        XCTAssertEqual(try root.group("ordered").childNames(), ["zeta", "alpha", "mid"])
        XCTAssertEqual(try root.group("ordered").attributeNames(), ["b", "a"])
        XCTAssertEqual(try root.group("unordered").childNames(), ["alpha", "mid", "zeta"])
        XCTAssertEqual(try HDF5TestSupport.walk(path) > 100, true)
    }

    private static let h5pyReader = #"""
import sys, json
import numpy as np, h5py

def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.ravel().tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value

def attributes(obj):
    out = {}
    for name in obj.attrs:
        value = obj.attrs[name]
        out[name] = {"dtype": str(obj.attrs.get_id(name).dtype), "shape": list(obj.attrs.get_id(name).shape),
                     "python": type(value).__name__, "value": plain(value)}
    return out

report = {"order": [], "objects": {}}
with h5py.File(sys.argv[1], "r") as f:
    report["objects"]["/"] = {"attrs": attributes(f), "children": list(f.keys())}
    def visit(group):
        # Iterating a group (not visititems) is what follows tracked creation order.
        for key in group:
            obj = group[key]
            name = obj.name.lstrip("/")
            report["order"].append(name)
            entry = {"attrs": attributes(obj)}
            if isinstance(obj, h5py.Dataset):
                entry.update(dtype=str(obj.dtype), shape=list(obj.shape), values=plain(obj[()]))
            else:
                entry["children"] = list(obj.keys())
                report["objects"][name] = entry
                visit(obj)
            report["objects"][name] = entry
    visit(f)
print(json.dumps(report))
"""#

    func testH5pyReadsWhatKeelWrites() throws {
        let path = directory.appendingPathComponent("from_keel.h5").path
        let config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"" + String(repeating: "x", count: 100_000) + "\"}}"
        try HDF5File.write(to: path) { file in
            try file.root.setAttribute("keras_version", "3.15.1")
            try file.root.setAttribute("backend", "tensorflow", encoding: .fixedLengthBytes)
            try file.root.setAttribute("model_config", config)
            let weights = try file.root.createGroup("model_weights")
            try weights.setAttribute("layer_names", ["zeta", "dense"])
            try weights.setAttribute("fixed_names", ["zeta", "dense"], encoding: .fixedLengthBytes)
            for layer in ["zeta", "dense"] {
                let group = try weights.createGroup(layer)
                try group.setAttribute("weight_names", ["\(layer)/kernel", "\(layer)/bias"])
                try group.createDataset("\(layer)/kernel", data: HDF5TestSupport.sampleArray(.float32, shape: [2, 3]))
                try group.createDataset("\(layer)/bias", data: HDF5TestSupport.sampleArray(.float32, shape: [3]))
            }
            for type in ElementType.allCases {
                let dataset = try file.root.createDataset("types/\(type)", data: HDF5TestSupport.sampleArray(type, shape: [2, 2]))
                try dataset.setAttribute("count", Int32(4))
            }
            try file.root.createDataset("types/scalar", data: ArrayData([Int64(12)], shape: []))
            try file.root.setAttribute("epochs", Int64(3))
            try file.root.setAttribute("rate", 0.001)
            try file.root.setAttribute("flag", false)
            try file.root.setAttribute("shape", [Int64(28), 28, 1])
        }
        let report = try Self.pythonJSON(Self.h5pyReader, arguments: [path])
        let objects = try XCTUnwrap(report["objects"] as? [String: [String: Any]])

        func attribute(_ object: String, _ name: String) throws -> [String: Any] {
            let attributes = try XCTUnwrap(objects[object]?["attrs"] as? [String: [String: Any]], object)
            return try XCTUnwrap(attributes[name], "\(object) attribute \(name)")
        }
        XCTAssertEqual(report["order"] as? [String], [
            "model_weights", "model_weights/zeta", "model_weights/zeta/zeta", "model_weights/zeta/zeta/kernel",
            "model_weights/zeta/zeta/bias", "model_weights/dense", "model_weights/dense/dense",
            "model_weights/dense/dense/kernel", "model_weights/dense/dense/bias", "types",
        ] + ElementType.allCases.map { "types/\($0)" } + ["types/scalar"])
        XCTAssertEqual(objects["/"]?["children"] as? [String], ["model_weights", "types"])
        XCTAssertEqual(Array(try XCTUnwrap(objects["/"]?["attrs"] as? [String: Any]).keys).count, 7)

        let version = try attribute("/", "keras_version")
        XCTAssertEqual(version["python"] as? String, "str")
        XCTAssertEqual(version["dtype"] as? String, "object")
        XCTAssertEqual(version["value"] as? String, "3.15.1")
        let backend = try attribute("/", "backend")
        XCTAssertEqual(backend["python"] as? String, "bytes_")
        XCTAssertEqual(backend["dtype"] as? String, "|S10")
        XCTAssertEqual(backend["value"] as? String, "tensorflow")
        XCTAssertEqual(try attribute("/", "model_config")["value"] as? String, config)
        let names = try attribute("model_weights", "layer_names")
        XCTAssertEqual(names["dtype"] as? String, "object")
        XCTAssertEqual(names["shape"] as? [Int], [2])
        XCTAssertEqual(names["value"] as? [String], ["zeta", "dense"])
        let fixedNames = try attribute("model_weights", "fixed_names")
        XCTAssertEqual(fixedNames["dtype"] as? String, "|S5")
        XCTAssertEqual(fixedNames["value"] as? [String], ["zeta", "dense"])
        XCTAssertEqual(try attribute("model_weights/dense", "weight_names")["value"] as? [String],
                       ["dense/kernel", "dense/bias"])
        XCTAssertEqual(try attribute("/", "epochs")["dtype"] as? String, "int64")
        XCTAssertEqual(try attribute("/", "epochs")["value"] as? Int, 3)
        XCTAssertEqual(try attribute("/", "rate")["value"] as? Double, 0.001)
        XCTAssertEqual(try attribute("/", "flag")["python"] as? String, "bool")
        XCTAssertEqual(try attribute("/", "flag")["value"] as? Bool, false)
        XCTAssertEqual(try attribute("/", "shape")["value"] as? [Int], [28, 28, 1])
        XCTAssertEqual(try attribute("types/int16", "count")["dtype"] as? String, "int32")

        for type in ElementType.allCases {
            let entry = try XCTUnwrap(objects["types/\(type)"])
            XCTAssertEqual(entry["dtype"] as? String, type.rawValue)
            XCTAssertEqual(entry["shape"] as? [Int], [2, 2])
            let values = try XCTUnwrap(entry["values"] as? [NSNumber], "\(type)")
            XCTAssertEqual(values.map(\.floatValue), HDF5TestSupport.sampleArray(type, shape: [2, 2]).floatValues(), "\(type)")
        }
        XCTAssertEqual(objects["types/scalar"]?["shape"] as? [Int], [])
        XCTAssertEqual(objects["types/scalar"]?["values"] as? Int, 12)
        let kernel = try XCTUnwrap(objects["model_weights/dense/dense/kernel"]?["values"] as? [Double])
        XCTAssertEqual(kernel.map { Float($0) }, HDF5TestSupport.sampleArray(.float32, shape: [2, 3]).floatValues())
    }
}
