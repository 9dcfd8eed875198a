import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The Python text forms callbacks write: `str(float)` for CSV cells and the format-spec
/// mini-language for checkpoint file names, checked against Python itself.
final class CallbackFormattingTests: XCTestCase {
    func testStrOfFloatIsPythons() {
        XCTAssertEqual(PythonText.str(0.47999998927116394), "0.47999998927116394")
        XCTAssertEqual(PythonText.str(1), "1.0")
        XCTAssertEqual(PythonText.str(1e-5), "1e-05")
        XCTAssertEqual(PythonText.str(1e16), "1e+16")
        XCTAssertEqual(PythonText.str(.nan), "nan")
        XCTAssertEqual(PythonText.str(-.infinity), "-inf")
    }

    func testTemplatesFillEpochAndLogs() throws {
        let template = try FilepathTemplate("w.{epoch:02d}-{val_loss:.2f}.h5")
        XCTAssertEqual(template.fieldNames, ["epoch", "val_loss"])
        XCTAssertEqual(try template.format(["epoch": .int(3), "val_loss": .double(0.412)]), "w.03-0.41.h5")
        XCTAssertEqual(try FilepathTemplate("t-{epoch}-{loss}.keras").format(["epoch": .int(5), "loss": .double(0.5)]),
                       "t-5-0.5.keras")
        XCTAssertEqual(try FilepathTemplate("{{literal}}-{epoch:03d}.h5").format(["epoch": .int(7)]), "{literal}-007.h5")
    }

    func testTemplateErrorsNameTheProblem() {
        XCTAssertThrowsError(try FilepathTemplate("w.{epoch:02d}-{val_acc:.2f}.h5").format(["epoch": .int(1)])) { error in
            XCTAssertTrue("\(error)".contains("val_acc"), "\(error)")
        }
        XCTAssertThrowsError(try FilepathTemplate("w.{epoch.h5"))
        XCTAssertThrowsError(try FilepathTemplate("w.{}.h5"))
        XCTAssertThrowsError(try FilepathTemplate("w.{epoch!r}.h5"))
        XCTAssertThrowsError(try FilepathTemplate("w.}.h5"))
        // Python: ValueError: Unknown format code 'd' for object of type 'float'.
        XCTAssertThrowsError(try FilepathTemplate("{loss:02d}.h5").format(["loss": .double(0.5)]))
    }

    /// A table of values and specs, formatted by Keel and by Python's `format`.
    func testFormatSpecsMatchPython() throws {
        let values: [PythonFormatArgument] = [
            .int(0), .int(7), .int(-42), .int(1234567),
            .double(0), .double(-0.0), .double(0.5), .double(0.125), .double(2.675), .double(-1.5),
            .double(1234567.891), .double(1e-7), .double(6.02e23), .double(0.41234567), .double(-0.001), .double(9.96), .double(10), .double(3), .double(1e-5),
            .double(.nan), .double(.infinity), .double(-.infinity),
        ]
        let integerSpecs = ["", "d", "02d", "5d", "<5d", "^6d", "=+6d", "+d", " d", ",d", "_d", "x", "X", "o", "b", "08.3f"]
        let floatSpecs = ["", ".2f", ".0f", "f", ".3e", "e", "E", ".4g", "g", "G", ".2", ".1", ".3", ".12", "10.3f", "<10.2f", "^10.1f",
                          "010.2f", "+.2f", " .1f", ",.2f", "_.1f", ".1%", "%", "*>12.3e", "z.1f", ".10g", "F"]
        var cases: [(PythonFormatArgument, String)] = []
        for value in values {
            if case .int = value { cases += integerSpecs.map { (value, $0) } } else { cases += floatSpecs.map { (value, $0) } }
        }
        let literals = cases.map { value, spec -> String in
            switch value {
            case .int(let v): return "(\(v), \(pythonString(spec)))"
            case .double(let v): return "(float(\(pythonString(PythonText.str(v)))), \(pythonString(spec)))"
            case .string(let v): return "(\(pythonString(v)), \(pythonString(spec)))"
            }
        }
        let script = "import json\ncases = [\(literals.joined(separator: ", "))]\nprint(json.dumps([format(v, s) for v, s in cases]))"
        let result = try runPython(script)
        XCTAssertEqual(result.status, 0, result.stderr)
        let expected = try XCTUnwrap(JSONValue.parse(result.stdout).arrayValue).compactMap(\.stringValue)
        XCTAssertEqual(expected.count, cases.count)
        for ((value, spec), python) in zip(cases, expected) {
            XCTAssertEqual(try PythonText.format(value, spec: spec), python, "format(\(value), '\(spec)')")
        }
    }

    private func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
