import Foundation
import KeelIO
import KeelTestSupport
import XCTest

final class NPZTests: XCTestCase {
    static let sample = NPZArchive([
        ("weights", NPYTests.counting(.float32, shape: [3, 2])),
        ("bias", NPYTests.counting(.float64, shape: [2])),
        ("labels", NPYTests.counting(.uint8, shape: [5])),
        ("step", NPYTests.counting(.int64, shape: [])),
        ("mask", NPYTests.counting(.bool, shape: [2, 2])),
        ("empty", NPYTests.counting(.int16, shape: [0])),
    ])

    func testRoundTripsStoredAndDeflatedKeepingOrder() throws {
        let directory = formatTestDirectory("npz-roundtrip")
        for compression in [NPZ.Compression.stored, .deflated] {
            let path = directory.appendingPathComponent("\(compression).npz").path
            try NPZ.write(Self.sample, to: path, compression: compression)
            let read = try NPZ.read(path)
            XCTAssertEqual(read.names, ["weights", "bias", "labels", "step", "mask", "empty"])
            XCTAssertEqual(read, Self.sample)
            XCTAssertEqual(read["bias"], Self.sample["bias"])
            XCTAssertEqual(read.arrays.count, 6)
        }
        XCTAssertEqual(try NPZ.read(bytes: NPZ.encode(NPZArchive()), name: "empty.npz").count, 0)
    }

    func testArchiveEditingKeepsOrder() {
        var archive = NPZArchive()
        archive["b"] = ArrayData([Float(1)], shape: [1])
        archive["a"] = ArrayData([Float(2)], shape: [1])
        archive["b"] = ArrayData([Float(3)], shape: [1])
        XCTAssertEqual(archive.names, ["b", "a"])
        XCTAssertEqual(archive["b"]?.values(as: Float.self), [3])
        archive["b"] = nil
        XCTAssertEqual(archive.names, ["a"])
        XCTAssertEqual(archive.members.map(\.name), ["a"])
    }

    func testReadsNumPySavezAndSavezCompressed() throws {
        let directory = formatTestDirectory("npz-from-numpy")
        let script = """
        import sys, numpy as np
        arrays = dict(zeta=np.arange(6, dtype='<f4').reshape(3, 2) + 0.5, alpha=np.arange(2) - 0.25,
                      ints=((np.arange(5) + 250) % 256).astype('|u1'), scalar=np.array(-0.25))
        np.savez(sys.argv[1] + "/plain.npz", **arrays)
        np.savez_compressed(sys.argv[1] + "/compressed.npz", **arrays)
        np.savez(sys.argv[1] + "/positional.npz", np.arange(3, dtype='<i4'), np.ones(2, dtype='|b1'))
        """
        _ = try FormatTesting.python(script, [directory.path])
        for name in ["plain", "compressed"] {
            let path = directory.appendingPathComponent(name + ".npz").path
            let archive = try NPZ.read(path)
            XCTAssertEqual(archive.names, ["zeta", "alpha", "ints", "scalar"], name)
            XCTAssertEqual(archive["zeta"], NPYTests.counting(.float32, shape: [3, 2]), name)
            XCTAssertEqual(archive["alpha"], NPYTests.counting(.float64, shape: [2]), name)
            XCTAssertEqual(archive["ints"], NPYTests.counting(.uint8, shape: [5]), name)
            XCTAssertEqual(archive["scalar"], NPYTests.counting(.float64, shape: []), name)
        }
        let positional = try NPZ.read(directory.appendingPathComponent("positional.npz").path)
        XCTAssertEqual(positional.names, ["arr_0", "arr_1"])
        XCTAssertEqual(positional["arr_1"], ArrayData([true, true], shape: [2]))
    }

    func testNumPyLoadsWhatKeelWrites() throws {
        let directory = formatTestDirectory("npz-to-numpy")
        for compression in [NPZ.Compression.stored, .deflated] {
            try NPZ.write(Self.sample, to: directory.appendingPathComponent("\(compression).npz").path,
                          compression: compression)
        }
        let script = """
        import sys, json, zipfile, numpy as np
        result = {}
        for name in ["stored", "deflated"]:
            path = f"{sys.argv[1]}/{name}.npz"
            methods = sorted({info.compress_type for info in zipfile.ZipFile(path).infolist()})
            with np.load(path) as archive:
                result[name] = {"methods": methods, "keys": list(archive.keys()),
                                "arrays": {key: {"dtype": str(archive[key].dtype), "shape": list(archive[key].shape),
                                                 "values": [float(v) for v in archive[key].ravel()]}
                                           for key in archive.keys()}}
        print(json.dumps(result))
        """
        let loaded = try XCTUnwrap(FormatTesting.json(FormatTesting.python(script, [directory.path])) as? [String: Any])
        for (name, method) in [("stored", 0), ("deflated", 8)] {
            let archive = try XCTUnwrap(loaded[name] as? [String: Any], name)
            XCTAssertEqual(archive["methods"] as? [Int], [method], name)
            XCTAssertEqual(archive["keys"] as? [String], Self.sample.names, name)
            let arrays = try XCTUnwrap(archive["arrays"] as? [String: [String: Any]])
            for (key, array) in Self.sample.members {
                XCTAssertEqual(arrays[key]?["dtype"] as? String, array.elementType.rawValue, key)
                XCTAssertEqual((arrays[key]?["shape"] as? [NSNumber])?.map(\.intValue), array.shape, key)
                XCTAssertEqual((arrays[key]?["values"] as? [NSNumber])?.map(\.doubleValue), NPYTests.doubles(array), key)
            }
        }
    }

    func testReadsTheKerasTrajectoryFixtureLikeNumPy() throws {
        let path = ProjectPaths.sharedFixtures.appendingPathComponent("h5/mlp_trajectory/after_epoch.npz").path
        let archive = try NPZ.read(path)
        let script = """
        import sys, json, numpy as np
        with np.load(sys.argv[1]) as archive:
            print(json.dumps([[key, str(archive[key].dtype), list(archive[key].shape), float(archive[key].astype('f8').sum())]
                              for key in archive.keys()]))
        """
        let listing = try XCTUnwrap(FormatTesting.json(FormatTesting.python(script, [path])) as? [[Any]])
        XCTAssertEqual(archive.names, listing.map { $0[0] as? String ?? "" })
        XCTAssertTrue(archive.names.contains("w000") && archive.names.contains("o000"), "\(archive.names)")
        for entry in listing {
            let name = try XCTUnwrap(entry[0] as? String)
            let array = try archive.array(named: name, in: path)
            XCTAssertEqual(array.elementType.rawValue, entry[1] as? String, name)
            XCTAssertEqual((entry[2] as? [NSNumber])?.map(\.intValue), array.shape, name)
            let sum = NPYTests.doubles(array).reduce(0, +)
            let expected = try XCTUnwrap((entry[3] as? NSNumber)?.doubleValue)
            XCTAssertEqual(sum, expected, accuracy: 1e-9 * max(1, abs(expected)), name)
        }
    }

    func testDemandsMembersOfTheRightTypeAndShape() throws {
        let path = formatTestDirectory("npz-demand").appendingPathComponent("x.npz").path
        try NPZ.write(Self.sample, to: path)
        let archive = try NPZ.read(path)
        XCTAssertEqual(try archive.array(named: "weights", as: .float32, shape: [3, 2], in: path).count, 6)
        assertThrowsKeelError(try archive.array(named: "kernel", in: path),
                              mentioning: [path, "expected an array named 'kernel'", "weights, bias"])
        assertThrowsKeelError(try archive.array(named: "bias", as: .float32, in: path),
                              mentioning: [path, "member 'bias'", "expected float32", "found float64"])
        assertThrowsKeelError(try archive.array(named: "weights", shape: [2, 3], in: path),
                              mentioning: [path, "expected shape (2, 3)", "found shape (3, 2)"])
    }

    func testRejectsMissingEmptyGarbageTruncatedAndDamagedFiles() throws {
        let directory = formatTestDirectory("npz-corrupt")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "npz") { try NPZ.read($0) }
        for compression in [NPZ.Compression.stored, .deflated] {
            let good = try NPZ.encode(Self.sample, compression: compression)
            let sizes = stride(from: 3, to: good.count, by: max(1, good.count / 23)).map { $0 } + [good.count - 1]
            // Member data sits right after the first local header (30 bytes + "weights.npy").
            let firstData = 30 + "weights.npy".count
            try assertRejectsDamagedFiles(good, truncatedAt: sizes,
                                          flippingBytesAt: [0, 2, firstData + 3, firstData + 70, firstData + 130],
                                          in: directory, extension: "\(compression).npz") { try NPZ.read($0) }
        }
        let notNPY = directory.appendingPathComponent("other-member.npz").path
        try Self.writeZip(members: ["notes.txt": Array("hello".utf8)], to: notNPY)
        assertThrowsKeelError(try NPZ.read(notNPY), mentioning: [notNPY, "<key>.npy", "notes.txt"])
        let badMember = directory.appendingPathComponent("bad-member.npz").path
        try Self.writeZip(members: ["x.npy": Array("not an array".utf8)], to: badMember)
        assertThrowsKeelError(try NPZ.read(badMember), mentioning: [badMember, "member 'x.npy'", "NPY magic"])
    }

    /// A zip with arbitrary members, written by Python's zipfile.
    static func writeZip(members: [String: [UInt8]], to path: String) throws {
        let script = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            for name, hex in zip(sys.argv[2::2], sys.argv[3::2]):
                z.writestr(name, bytes.fromhex(hex))
        """
        let arguments = members.flatMap { [$0.key, $0.value.map { String(format: "%02x", $0) }.joined()] }
        _ = try FormatTesting.python(script, [path] + arguments)
    }
}
