import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Training logs as Keras users plot them: loss, each metric with its val_ twin, learning rate
/// alone, epochs from 1.
final class PlotPanelTests: XCTestCase {
    func testColumnsGroupIntoLossMetricAndLearningRatePanels() {
        // CSVLogger's header sorts the keys.
        XCTAssertEqual(TrainingCurves.panels(for: ["accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"]),
                       [["loss", "val_loss"], ["accuracy", "val_accuracy"], ["learning_rate"]])
        XCTAssertEqual(TrainingCurves.panels(for: ["loss"]), [["loss"]])
        // A GAN's losses share a panel; a metric seen only on validation still gets one.
        XCTAssertEqual(TrainingCurves.panels(for: ["d_loss", "g_loss", "val_auc", "lr"]),
                       [["d_loss", "g_loss"], ["val_auc"], ["lr"]])
        XCTAssertEqual(TrainingCurves.panels(for: ["loss", "mae", "mse", "val_loss", "val_mae", "val_mse"]).count, 3)
    }

    func testTheFigureHasOnePanelPerGroupAndCountsEpochsFromOne() throws {
        let epochs: [Double] = [0, 1, 2, 3]
        let columns = [("accuracy", [0.5, 0.6, 0.7, 0.75]), ("learning_rate", [0.01, 0.01, 0.005, 0.005]),
                       ("loss", [1.0, 0.8, 0.6, 0.5]), ("val_accuracy", [0.5, 0.55, 0.6, 0.62]),
                       ("val_loss", [1.1, 0.9, 0.8, 0.78])]
            .map { TrainingCurves.Column(name: $0.0, x: epochs, values: $0.1) }
        let figure = try TrainingCurves.figure(title: "log.csv", xName: "epoch", epochColumn: true, columns: columns)
        XCTAssertEqual(figure.panels.map(\.title), ["loss", "accuracy", "learning rate"])
        XCTAssertEqual(figure.panels.map { $0.series.map(\.label) }, [["loss", "val_loss"], ["accuracy", "val_accuracy"], ["learning_rate"]])
        XCTAssertTrue(figure.panels.allSatisfy { $0.xLabel == "epoch" && $0.series.allSatisfy { $0.x == [1, 2, 3, 4] } },
                      "epoch 0 of the log is epoch 1 on the axis")
        XCTAssertEqual(figure.grid.columns, 3)
        let canvas = figure.render()
        XCTAssertEqual([canvas.width, canvas.height], [3 * 640, figure.height])

        let directory = ProjectPaths.temporaryDirectory("keel-panels")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("history.png").path
        try figure.write(to: path)
        let described = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), ["-b", path])
        XCTAssertTrue(described.stdout.hasPrefix("PNG image data, 1920 x \(figure.height), 8-bit/color RGB"), described.stdout)
    }

    func testTheFirstXTickOfAShortRunIsEpochOne() throws {
        let figure = try TrainingCurves.figure(title: "", xName: "epoch", epochColumn: true, columns: [
            TrainingCurves.Column(name: "loss", x: [0, 1, 2, 3, 4], values: [5, 4, 3, 2, 1]),
        ])
        let xs = figure.panels[0].series[0].x
        let ticks = AxisTicks(minimum: xs.min()!, maximum: xs.max()!, targetCount: 8, integers: true)
        XCTAssertEqual(ticks.values.first, 1)
        XCTAssertEqual(ticks.label(ticks.values.first!), "1")
    }

    func testManyPanelsAreAGridAndTooManyAreRefused() throws {
        let names = (0..<5).map { "metric_\($0)" }
        let five = try TrainingCurves.figure(title: "", xName: "step", epochColumn: false,
                                             columns: names.map { TrainingCurves.Column(name: $0, x: [1, 2], values: [1, 2]) })
        XCTAssertEqual(five.panels.count, 5)
        XCTAssertEqual(five.grid.rows, 2)
        XCTAssertEqual(five.grid.columns, 3)
        XCTAssertEqual(five.panels[0].xLabel, "step")
        let tooMany = (0...TrainingCurves.maximumPanels).map { TrainingCurves.Column(name: "m\($0)", x: [0], values: [1]) }
        XCTAssertThrowsError(try TrainingCurves.figure(title: "wide.csv", xName: "epoch", epochColumn: true, columns: tooMany)) {
            XCTAssertTrue("\($0)".contains("at most \(TrainingCurves.maximumPanels) panels"), "\($0)")
        }
    }
}
