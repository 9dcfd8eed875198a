import Foundation
import KeelIO
import XCTest

final class CSVTests: XCTestCase {
    static let trickyRows: [[String]] = [
        ["epoch", "loss", "note"],
        ["0", "0.5", "plain"],
        ["1", "0.25", "with, comma"],
        ["2", "", "she said \"hi\""],
        ["3", "1e-05", "two\nlines"],
        ["4", "nan", "crlf\r\ninside"],
        ["5", " spaced ", "ünïcødé ✓"],
        [""],
        ["6", "inf", "lone\rreturn"],
    ]

    func testRoundTripsTrickyFieldsWithAnySeparatorAndTerminator() throws {
        let directory = formatTestDirectory("csv-roundtrip")
        for (separator, terminator) in [(",", "\r\n"), (";", "\n"), ("\t", "\r\n"), ("|", "\n")] as [(Character, String)] {
            let format = try CSVFormat(separator: separator, lineTerminator: terminator)
            let path = directory.appendingPathComponent("sep\(separator.asciiValue!).csv").path
            let rows = Self.trickyRows + [["a\(separator)b", "c"]]
            try CSV.write(rows, to: path, format: format)
            XCTAssertEqual(try CSV.read(path, separator: separator), rows, "separator \(separator)")
        }
    }

    func testQuotesOnlyWhereNeededLikePythonsCSVModule() throws {
        let directory = formatTestDirectory("csv-python-bytes")
        let pythonFile = directory.appendingPathComponent("python.csv").path
        let script = """
        import sys, csv, json
        rows = json.loads(sys.argv[2])
        with open(sys.argv[1], "w", newline="") as f:
            csv.writer(f).writerows(rows)
        """
        let rowsJSON = String(decoding: try JSONSerialization.data(withJSONObject: Self.trickyRows), as: UTF8.self)
        _ = try FormatTesting.python(script, [pythonFile, rowsJSON])
        let expected = try FormatTesting.bytes(of: URL(fileURLWithPath: pythonFile))
        XCTAssertEqual(String(decoding: CSV.encode(Self.trickyRows), as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(Array(CSV.encode([["a", "b,c", "d\"e"]])), Array("a,\"b,c\",\"d\"\"e\"\r\n".utf8))
    }

    func testPythonReadsWhatKeelWritesAndKeelReadsWhatPythonWrites() throws {
        let directory = formatTestDirectory("csv-python")
        let keelFile = directory.appendingPathComponent("keel.csv").path
        try CSV.write(Self.trickyRows, to: keelFile, format: CSVFormat(separator: ";", lineTerminator: "\n"))
        let script = """
        import sys, csv, json
        with open(sys.argv[1], newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        with open(sys.argv[2], "w", newline="") as f:
            csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\\n").writerows(rows)
        with open(sys.argv[3], "w", newline="") as f:
            csv.writer(f, delimiter="\\t", quoting=csv.QUOTE_NONNUMERIC).writerows([["x", 1.5, "tab\\there"], ["y", -2, ""]])
        print(json.dumps(rows))
        """
        let quotedAll = directory.appendingPathComponent("quoted-all.csv").path
        let tabs = directory.appendingPathComponent("tabs.tsv").path
        let rows = try XCTUnwrap(FormatTesting.json(FormatTesting.python(script, [keelFile, quotedAll, tabs])) as? [[String]])
        XCTAssertEqual(rows, Self.trickyRows)
        XCTAssertEqual(try CSV.read(quotedAll), Self.trickyRows)
        XCTAssertEqual(try CSV.read(tabs, separator: "\t"), [["x", "1.5", "tab\there"], ["y", "-2", ""]])
    }

    func testAppendsLikeCSVLogger() throws {
        let path = formatTestDirectory("csv-append").appendingPathComponent("log.csv").path
        try CSV.append([["epoch", "loss"]], to: path)
        try CSV.append([["0", "0.9"]], to: path)
        try CSV.append([["1", "0.5"], ["2", "0.25"]], to: path)
        XCTAssertEqual(String(decoding: try FormatTesting.bytes(of: URL(fileURLWithPath: path)), as: UTF8.self),
                       "epoch,loss\r\n0,0.9\r\n1,0.5\r\n2,0.25\r\n")
        let table = try CSVTable.read(path)
        XCTAssertEqual(table.header, ["epoch", "loss"])
        XCTAssertEqual(try table.numericColumn("loss"), [0.9, 0.5, 0.25])
        XCTAssertEqual(try table.column("epoch"), ["0", "1", "2"])
        let missingDirectory = "/nonexistent-keel-directory/log.csv"
        assertThrowsKeelError(try CSV.append([["x"]], to: missingDirectory), mentioning: [missingDirectory, "expected"])
    }

    func testTableWritesReadsAndChecksColumns() throws {
        let path = formatTestDirectory("csv-table").appendingPathComponent("t.csv").path
        let table = CSVTable(header: ["epoch", "val_loss"], rows: [["0", "inf"], ["1", "NaN"], ["2", "x"]])
        try table.write(to: path)
        let read = try CSVTable.read(path)
        XCTAssertEqual(read, table)
        XCTAssertEqual(try read.numericColumn("epoch"), [0, 1, 2])
        XCTAssertEqual(try read.columnIndex("val_loss"), 1)
        assertThrowsKeelError(try read.numericColumn("val_loss"), mentioning: ["val_loss", "expected numbers", "'x' in data row 3"])
        let special = try CSVTable(header: ["v"], rows: [["inf"], ["-inf"], ["nan"]]).numericColumn("v")
        XCTAssertEqual(special.prefix(2), [.infinity, -.infinity])
        XCTAssertTrue(special[2].isNaN)
        assertThrowsKeelError(try read.column("accuracy"), mentioning: ["expected a column named 'accuracy'", "'epoch', 'val_loss'"])
    }

    func testMalformedInputNamesTheFileAndLine() throws {
        let directory = formatTestDirectory("csv-malformed")
        func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try FormatTesting.write(Array(text.utf8), to: URL(fileURLWithPath: path))
            return path
        }
        let unterminated = try file("unterminated.csv", "a,b\r\n1,2\r\n3,\"open\r\nstill open\r\n")
        assertThrowsKeelError(try CSV.read(unterminated), mentioning: [unterminated, "expected every quoted field to be closed", "line 3"])
        XCTAssertEqual(try CSV.read(unterminated, strict: false).count, 3)
        let strayQuote = try file("stray.csv", "a,b\n1,2\nx,y\"z\n")
        assertThrowsKeelError(try CSV.read(strayQuote), mentioning: [strayQuote, "expected well-formed CSV", "line 3"])
        let afterQuote = try file("after.csv", "a,b\n\"q\"x,2\n")
        assertThrowsKeelError(try CSV.read(afterQuote), mentioning: [afterQuote, "line 2"])
        let ragged = try file("ragged.csv", "a,b,c\n1,2,3\n\"multi\nline\",5\n")
        assertThrowsKeelError(try CSVTable.read(ragged), mentioning: [ragged, "expected 3 fields per row", "found 2 fields", "line 4"])
        let binary = try file("binary.csv", "a,b\n\u{0}\u{1}")
        assertThrowsKeelError(try CSV.read(binary), mentioning: [binary, "NUL byte on line 2"])
        let latin1 = directory.appendingPathComponent("latin1.csv").path
        try FormatTesting.write([0x61, 0x0A, 0x62, 0xE9, 0x0A], to: URL(fileURLWithPath: latin1))
        assertThrowsKeelError(try CSV.read(latin1), mentioning: [latin1, "UTF-8", "line 2"])
        let blank = try file("blank.csv", "\n\r\n")
        assertThrowsKeelError(try CSVTable.read(blank), mentioning: [blank, "expected a header row"])
        assertThrowsKeelError(try CSVFormat(separator: "\""), mentioning: ["separator"])
        assertThrowsKeelError(try CSVFormat(separator: "é"), mentioning: ["separator"])
        assertThrowsKeelError(try CSV.read(unterminated, separator: "\n"), mentioning: ["separator"])
    }

    func testRejectsMissingEmptyGarbageAndTruncatedFiles() throws {
        let directory = formatTestDirectory("csv-corrupt")
        try assertRejectsMissingEmptyAndGarbage(in: directory, extension: "csv") { try CSVTable.read($0) }
        let good = CSV.encode([["name", "text", "value"], ["a", "x,\"y\"\nz", "1"], ["b", "plain", "2"]])
        // CSV has no length or checksum: a cut at a line break is a shorter valid file. Cuts
        // inside a quoted field or inside a row are errors.
        let insideQuotes = [20, 24, 28, 29], insideRows = [18, 19, 35, 36, 40]
        try assertRejectsDamagedFiles(good, truncatedAt: insideQuotes + insideRows, in: directory, extension: "csv") {
            try CSVTable.read($0)
        }
    }
}
