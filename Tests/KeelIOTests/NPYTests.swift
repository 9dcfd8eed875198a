import Foundation
@testable import KeelIO
import XCTest

final class NPYTests: XCTestCase {
    /// 0, 1, 2, ... as `elementType` (bool: alternating false/true).
    static func counting(_ elementType: ElementType, shape: [Int]) -> ArrayData {
        let count = shape.reduce(1, *)
        switch elementType {
        case .float32: return ArrayData((0..<count).map { Float($0) + 0.5 }, shape: shape)
        case .float64: return ArrayData((0..<count).map { Double($0) - 0.25 }, shape: shape)
        case .int8: return ArrayData((0..<count).map { Int8(truncatingIfNeeded: $0 - 3) }, shape: shape)
        case .uint8: return ArrayData((0..<count).map { UInt8(truncatingIfNeeded: $0 + 250) }, shape: shape)
        case .int16: return ArrayData((0..<count).map { Int16($0) * -300 }, shape: shape)
        case .int32: return ArrayData((0..<count).map { Int32($0) * -70000 }, shape: shape)
        case .int64: return ArrayData((0..<count).map { Int64($0) * -5_000_000_000 }, shape: shape)
        case .bool: return ArrayData((0..<count).map { $0 % 2 == 1 }, shape: shape)
        }
    }

    func testRoundTripsEveryElementTypeAndRank() throws {
        let directory = formatTestDirectory("npy-roundtrip")
        for elementType in ElementType.allCases {
            for shape in [[2, 3], [], [0, 3], [4], [2, 1, 3, 2], [3, 0]] {
                let array = Self.counting(elementType, shape: shape)
                let path = directory.appendingPathComponent("\(elementType)-\(shape.count).npy").path
                try NPY.write(array, to: path)
                XCTAssertEqual(try NPY.read(path), array, "\(elementType) \(shape)")
                XCTAssertEqual(try NPY.read(bytes: NPY.encode(array), name: "memory"), array)
            }
        }
    }

    func testEncodingIsByteForByteWhatNumPySaves() throws {
        let directory = formatTestDirectory("npy-numpy-bytes")
        let cases: [(String, ArrayData)] = [
            ("np.arange(6, dtype='<f4').reshape(2, 3) + 0.5", Self.counting(.float32, shape: [2, 3])),
            ("np.array(7.0, dtype='<f8') - 7.25", Self.counting(.float64, shape: [])),
            ("(np.arange(4) % 2 == 1).astype('|b1')", Self.counting(.bool, shape: [4])),
            ("np.zeros((0, 3), dtype='<i8')", ArrayData([Int64](), shape: [0, 3])),
            ("np.zeros((1,) * 40, dtype='|u1')", ArrayData([UInt8(0)], shape: Array(repeating: 1, count: 40))),
            ("np.zeros((12345678901, 0), dtype='<i2')", ArrayData([Int16](), shape: [12_345_678_901, 0])),
        ]
        let script = """
        import sys, numpy as np
        for index, expression in enumerate(sys.argv[2:]):
            np.save(f"{sys.argv[1]}/case{index}.npy", eval(expression))
        """
        _ = try FormatTesting.python(script, [directory.path] + cases.map(\.0))
        for (index, (expression, array)) in cases.enumerated() {
            let saved = try FormatTesting.bytes(of: directory.appendingPathComponent("case\(index).npy"))
            XCTAssertEqual(NPY.encode(array), saved, expression)
            XCTAssertEqual(try NPY.read(bytes: saved, name: expression), array, expression)
        }
    }

    func testReadsWhatNumPyWritesInEveryVersionAndByteOrder() throws {
        let directory = formatTestDirectory("npy-from-numpy")
        let script = """
        import sys, numpy as np
        from numpy.lib import format as npformat
        out = sys.argv[1]
        def counting(dtype, shape):
            n = int(np.prod(shape))
            values = {'f4': np.arange(n) + 0.5, 'f8': np.arange(n) - 0.25, 'i1': np.arange(n) - 3,
                      'u1': (np.arange(n) + 250) % 256, 'i2': np.arange(n) * -300, 'i4': np.arange(n) * -70000,
                      'i8': np.arange(n, dtype=np.int64) * -5000000000, 'b1': np.arange(n) % 2 == 1}[dtype[1:]]
            return values.astype(dtype).reshape(shape)
        dtypes = ['<f4', '<f8', '|i1', '|u1', '<i2', '<i4', '<i8', '|b1']
        for dtype in dtypes:
            for version in [(1, 0), (2, 0), (3, 0)]:
                with open(f"{out}/{dtype[1:]}-v{version[0]}.npy", "wb") as f:
                    npformat.write_array(f, counting(dtype, (2, 3)), version=version)
            big = dtype.replace('<', '>')
            np.save(f"{out}/{dtype[1:]}-big.npy", counting(big, (3, 2)))
        np.save(f"{out}/scalar.npy", counting('<f8', ()))
        np.save(f"{out}/empty.npy", counting('<i4', (0, 5)))
        np.save(f"{out}/fortran-2d.npy", np.asfortranarray(counting('<f4', (2, 3))))
        with open(f"{out}/fortran-1d.npy", "wb") as f:
            header = {'descr': '<f4', 'fortran_order': True, 'shape': (4,)}
            npformat.write_array_header_1_0(f, header)
            f.write(counting('<f4', (4,)).tobytes())
        """
        _ = try FormatTesting.python(script, [directory.path])
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        for elementType in ElementType.allCases {
            let code = Self.numpyCodes[elementType]!
            for version in 1...3 {
                XCTAssertEqual(try NPY.read(path("\(code)-v\(version).npy")),
                               Self.counting(elementType, shape: [2, 3]), "\(code) v\(version)")
            }
            XCTAssertEqual(try NPY.read(path("\(code)-big.npy")), Self.counting(elementType, shape: [3, 2]), "\(code) big-endian")
        }
        XCTAssertEqual(try NPY.read(path("scalar.npy")), Self.counting(.float64, shape: []))
        XCTAssertEqual(try NPY.read(path("empty.npy")), ArrayData([Int32](), shape: [0, 5]))
        XCTAssertEqual(try NPY.read(path("fortran-1d.npy")), Self.counting(.float32, shape: [4]))
        assertThrowsKeelError(try NPY.read(path("fortran-2d.npy")),
                              mentioning: [path("fortran-2d.npy"), "expected a C-order array", "fortran_order: True"])
    }

    /// NumPy types Keel has no element type for are read without loss into a wider one; a
    /// uint64 beyond Int64 is an error naming it.
    func testWidensUnsignedAndHalfPrecisionArrays() throws {
        let directory = formatTestDirectory("npy-widened")
        _ = try FormatTesting.python("""
            import sys, numpy as np
            out = sys.argv[1]
            np.save(f"{out}/u2.npy", np.array([[0, 1, 65535]], '<u2'))
            np.save(f"{out}/u4-big.npy", np.array([0, 4294967295], '>u4'))
            np.save(f"{out}/u8.npy", np.array([0, 2**63 - 1], '<u8'))
            np.save(f"{out}/u8-huge.npy", np.array([1, 2**63], '<u8'))
            np.save(f"{out}/f2-big.npy", np.array([0.5, -2, 65504, np.inf], '>f2'))
            """, [directory.path])
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        XCTAssertEqual(try NPY.read(path("u2.npy")), ArrayData([Int32(0), 1, 65535], shape: [1, 3]))
        XCTAssertEqual(try NPY.read(path("u4-big.npy")), ArrayData([Int64(0), 4_294_967_295], shape: [2]))
        XCTAssertEqual(try NPY.read(path("u8.npy")), ArrayData([Int64(0), Int64.max], shape: [2]))
        XCTAssertEqual(try NPY.read(path("f2-big.npy")), ArrayData([Float(0.5), -2, 65504, .infinity], shape: [4]))
        assertThrowsKeelError(try NPY.read(path("u8-huge.npy")), mentioning: [path("u8-huge.npy"), "9223372036854775808"])
    }

    func testNumPyLoadsWhatKeelWrites() throws {
        let directory = formatTestDirectory("npy-to-numpy")
        var expected: [String: (dtype: String, shape: [Int], values: [Double])] = [:]
        for elementType in ElementType.allCases {
            for shape in [[2, 3], [], [0, 2]] {
                let array = Self.counting(elementType, shape: shape)
                let name = "\(elementType)-\(shape.count)"
                try NPY.write(array, to: directory.appendingPathComponent(name + ".npy").path)
                expected[name] = (elementType.rawValue, shape, Self.doubles(array))
            }
        }
        let script = """
        import sys, json, glob, os, numpy as np
        result = {}
        for path in sorted(glob.glob(sys.argv[1] + "/*.npy")):
            a = np.load(path)
            result[os.path.basename(path)[:-4]] = {"dtype": str(a.dtype), "shape": list(a.shape),
                                                   "values": [float(v) for v in a.ravel()]}
        print(json.dumps(result))
        """
        let loaded = try XCTUnwrap(try FormatTesting.json(FormatTesting.python(script, [directory.path])) as? [String: Any])
        XCTAssertEqual(Set(loaded.keys), Set(expected.keys))
        for (name, value) in expected {
            let entry = try XCTUnwrap(loaded[name] as? [String: Any], name)
            XCTAssertEqual(entry["dtype"] as? String, value.dtype, name)
            XCTAssertEqual((entry["shape"] as? [NSNumber])?.map(\.intValue), value.shape, name)
            XCTAssertEqual((entry["values"] as? [NSNumber])?.map(\.doubleValue), value.values, name)
        }
    }

    func testHeaderDictionaryInAnyPythonSpelling() throws {
        let values: [UInt8] = [1, 2, 3]
        let accepted: [(String, [Int])] = [
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [3]),
            ("{\"shape\":(3,),\"descr\":\"|u1\",\"fortran_order\":False}", [3]),
            ("{ 'fortran_order' : False ,\n 'shape' : ( 1 , 3 , ) , 'descr' : 'u1' , }", [1, 3]),
            ("{'descr': '<u1', 'fortran_order': False, 'shape': (3L,)}", [3]),
            ("{'descr': '>u1', 'fortran_order': False, 'shape': (1, 1, 3)}", [1, 1, 3]),
        ]
        for (dictionary, shape) in accepted {
            let file = Self.npyFile(header: dictionary, data: values)
            XCTAssertEqual(try NPY.read(bytes: file, name: "x.npy"), ArrayData(values, shape: shape), dictionary)
        }
        let rejected: [(String, String)] = [
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (3)}", "tuple"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': [3]}", "tuple"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (-3,)}", "sizes >= 0"),
            ("{'descr': '|u1', 'shape': (3,)}", "keys"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), 'extra': 1}", "keys"),
            ("{'descr': '<c8', 'fortran_order': False, 'shape': (3,)}", "dtype '<c8'"),
            ("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,)}", "structured"),
            ("{'descr': '|u1', 'fortran_order': 0, 'shape': (3,)}", "fortran_order"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (3,)", "header dictionary"),
            ("{'descr': '|u1', 'fortran_order': False, 'shape': (3,)} x", "header dictionary"),
            ("['descr', '|u1']", "header dictionary"),
        ]
        for (dictionary, message) in rejected {
            assertThrowsKeelError(try NPY.read(bytes: Self.npyFile(header: dictionary, data: values), name: "bad.npy"),
                                  mentioning: ["bad.npy", "expected", message], dictionary)
        }
        let hugeButEmpty = "{'descr': '|u1', 'fortran_order': False, 'shape': (4611686018427387904, 0, 1)}"
        XCTAssertEqual(try NPY.read(bytes: Self.npyFile(header: hugeButEmpty, data: []), name: "x.npy").shape,
                       [4_611_686_018_427_387_904, 0, 1])
        let huge = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 3)}"
        assertThrowsKeelError(try NPY.read(bytes: Self.npyFile(header: huge, data: values), name: "huge.npy"),
                              mentioning: ["huge.npy", "expected a shape whose size fits in memory"])
        let nested = "{'descr': '|u1', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 5000) + "}"
        assertThrowsKeelError(try NPY.read(bytes: Self.npyFile(header: nested, data: values), name: "deep.npy"),
                              mentioning: ["deep.npy", "nested more than 32 deep"])
        var version4 = Self.npyFile(header: accepted[0].0, data: values)
        version4[6] = 4
        assertThrowsKeelError(try NPY.read(bytes: version4, name: "v4.npy"), mentioning: ["v4.npy", "version 4.0"])
    }

    func testDemandsElementTypeAndShape() throws {
        let path = formatTestDirectory("npy-demand").appendingPathComponent("x.npy").path
        try NPY.write(Self.counting(.float32, shape: [5, 3]), to: path)
        XCTAssertEqual(try NPY.read(path, as: .float32, shape: [nil, 3]).shape, [5, 3])
        assertThrowsKeelError(try NPY.read(path, as: .int32), mentioning: [path, "expected int32", "found float32"])
        assertThrowsKeelError(try NPY.read(path, as: .float32, shape: [nil, 4]),
                              mentioning: [path, "expected shape (?, 4)", "found shape (5, 3)"])
        assertThrowsKeelError(try NPY.read(path, as: nil, shape: [15]), mentioning: [path, "shape (15,)"])
    }

    func testRejectsMissingEmptyGarbageTruncatedAndDamagedFiles() throws {
        let directory = formatTestDirectory("npy-corrupt")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "npy") { try NPY.read($0) }
        let good = NPY.encode(Self.counting(.int32, shape: [4, 3]))
        XCTAssertEqual(good.count, 128 + 48)
        try assertRejectsDamagedFiles(good, truncatedAt: [1, 5, 7, 9, 30, 127, 128, 129, 150, 175],
                                      flippingBytesAt: Array(0..<128), in: directory, extension: "npy") {
            try NPY.read($0)
        }
        let trailing = directory.appendingPathComponent("trailing.npy").path
        try FormatTesting.write(good + [0], to: URL(fileURLWithPath: trailing))
        assertThrowsKeelError(try NPY.read(trailing), mentioning: [trailing, "48 data bytes", "49 bytes (trailing bytes)"])
        let directoryPath = directory.path
        assertThrowsKeelError(try NPY.read(directoryPath), mentioning: [directoryPath, "a directory"])
    }

    static let numpyCodes: [ElementType: String] = [
        .float32: "f4", .float64: "f8", .int8: "i1", .uint8: "u1", .int16: "i2", .int32: "i4", .int64: "i8", .bool: "b1",
    ]

    /// The elements as Double, exactly (every test value is an integer or a short binary fraction).
    static func doubles(_ array: ArrayData) -> [Double] {
        switch array.elementType {
        case .float32: return array.values(as: Float.self)!.map(Double.init)
        case .float64: return array.values(as: Double.self)!
        case .int8: return array.values(as: Int8.self)!.map(Double.init)
        case .uint8: return array.values(as: UInt8.self)!.map(Double.init)
        case .int16: return array.values(as: Int16.self)!.map(Double.init)
        case .int32: return array.values(as: Int32.self)!.map(Double.init)
        case .int64: return array.values(as: Int64.self)!.map(Double.init)
        case .bool: return array.values(as: Bool.self)!.map { $0 ? 1 : 0 }
        }
    }

    static func npyFile(header: String, data: [UInt8]) -> [UInt8] {
        let text = Array(header.utf8) + [0x0A]
        return NPY.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }
}
