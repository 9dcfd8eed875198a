import Foundation
import XCTest
import KeelTestSupport

/// `keel plot` through the built binary: logs with values that used to trap the line chart, the
/// panel layout, and the warnings about what could not be drawn.
final class PlotCommandTests: XCTestCase {
    /// Plots `csv` (the file's text) and returns the run and the PNG's width and height as
    /// `file` describes it.
    private func plot(_ csv: String, named name: String, in keel: KeelProcess,
                      file: StaticString = #filePath, line: UInt = #line) throws -> (ProcessResult, [Int]) {
        try csv.write(toFile: keel.path(name + ".csv"), atomically: true, encoding: .utf8)
        let result = try keel.succeed(["plot", keel.path(name + ".csv"), "--output", keel.path(name + ".png")], file: file, line: line)
        let described = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), ["-b", keel.path(name + ".png")])
        XCTAssertTrue(described.stdout.hasPrefix("PNG image data, "), "\(name): \(described.stdout)", file: file, line: line)
        // "PNG image data, 1920 x 450, 8-bit/color RGB, non-interlaced"
        let size = described.stdout.split(separator: ",").dropFirst().first?.split(separator: "x")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? []
        return (result, size)
    }

    func testLogsWithExtremeValuesPlotWithoutTrapping() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let logs: [String: String] = [
            "subnormal": "epoch,loss\n0,5e-324\n1,0\n2,1e-320\n",
            "near_max": "epoch,loss,val_loss\n0,1.7e308,-1.7e308\n1,1.7976931348623157e308,0\n",
            "near_min": "epoch,loss\n0,-1.7e308\n1,-1.7976931348623157e308\n",
            "single_row": "epoch,loss,accuracy\n0,0.5,0.25\n",
            "all_equal": "epoch,loss\n0,3\n1,3\n2,3\n",
            "non_finite": "epoch,loss,val_loss\n0,nan,inf\n1,0.5,-inf\n2,0.4,0.6\n",
            "only_nan": "epoch,loss\n0,nan\n1,nan\n",
            "x_decreasing": "epoch,loss\n3,1\n2,0.8\n2,0.7\n0,0.5\n",
            "x_extreme": "epoch,loss\n-1.7e308,1\n5e-324,2\n1.7e308,3\nnan,4\nabc,5\n",
            "huge_epochs": "epoch,loss\n0,1\n9007199254740993,2\n",
        ]
        for (name, csv) in logs.sorted(by: { $0.key < $1.key }) {
            let (result, size) = try plot(csv, named: name, in: keel)
            XCTAssertEqual(size.count, 2, name)
            XCTAssertTrue(result.stdout.contains("wrote"), "\(name): \(result.stdout)")
        }
    }

    func testWhatCannotBeDrawnIsSaid() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let (nonFinite, _) = try plot("epoch,loss,val_loss\n0,nan,inf\n1,0.5,0.4\n2,0.4,0.6\n", named: "nan", in: keel)
        XCTAssertTrue(nonFinite.stderr.contains("nan.csv: loss: 1 of 3 points are nan, inf or missing"), nonFinite.stderr)
        XCTAssertTrue(nonFinite.stderr.contains("val_loss: 1 of 3 points"), nonFinite.stderr)
        let (restarted, _) = try plot("epoch,loss\n0,1\n1,0.9\n0,0.95\n1,0.85\n", named: "restarted", in: keel)
        XCTAssertTrue(restarted.stderr.contains("epoch does not increase (row 3 after row 2)"), restarted.stderr)
    }

    func testTheFigureHasAPanelPerGroupOfColumns() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        // Keras's CSVLogger header: loss and val_loss, accuracy and val_accuracy, learning rate.
        let keras = "epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\n0,0.5,0.01,1.0,0.45,1.1\n1,0.6,0.01,0.8,0.5,0.9\n"
        let (_, three) = try plot(keras, named: "keras", in: keel)
        XCTAssertEqual(three.first, 3 * 640, "three panels side by side")
        let (_, one) = try plot("epoch,loss,val_loss\n0,1,2\n1,0.5,1\n", named: "loss_only", in: keel)
        XCTAssertEqual(one.first, 640, "loss with val_loss: one panel")
    }

    func testLogsThatCannotBePlottedAreRefusedWithAMessage() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let wide = "epoch," + (0..<40).map { "metric_\($0)" }.joined(separator: ",") + "\n0," + Array(repeating: "1", count: 40).joined(separator: ",") + "\n"
        try wide.write(toFile: keel.path("wide.csv"), atomically: true, encoding: .utf8)
        assertFails(try keel.run(["plot", keel.path("wide.csv"), "--output", keel.path("wide.png")]), mentioning: ["at most 36 panels"])
        XCTAssertFalse(keel.exists("wide.png"))
        try "epoch,note\n0,hello\n".write(toFile: keel.path("text.csv"), atomically: true, encoding: .utf8)
        assertFails(try keel.run(["plot", keel.path("text.csv"), "--output", keel.path("text.png")]), mentioning: ["numeric column"])
        try "epoch\n0\n".write(toFile: keel.path("narrow.csv"), atomically: true, encoding: .utf8)
        assertFails(try keel.run(["plot", keel.path("narrow.csv"), "--output", keel.path("narrow.png")]), mentioning: ["value column"])
    }
}
