import Foundation
import XCTest
import Keel

/// The legend goes where it hides no data.
final class PlotLegendTests: XCTestCase {
    /// The pixels of `canvas` inside `rect` painted in one of `colours`.
    private func pixels(of colours: Set<Color>, in rect: PixelRect, on canvas: Canvas) -> Int {
        var count = 0
        for y in max(rect.y, 0)..<min(rect.y + rect.height, canvas.height) {
            for x in max(rect.x, 0)..<min(rect.x + rect.width, canvas.width) where colours.contains(canvas.color(x: x, y: y)) {
                count += 1
            }
        }
        return count
    }

    /// The same chart without labels (so without a legend): where its data alone is drawn.
    private func dataOnly(_ chart: LineChart) -> Canvas {
        var bare = chart
        bare.series = chart.series.map { var line = $0; line.label = ""; return line }
        return bare.render()
    }

    func testTheLegendLeavesTheUpperRightWhenTheCurvesRunThere() throws {
        // Rising curves fill the upper right, where matplotlib's default legend would sit.
        let chart = LineChart(title: "accuracy", series: [
            LineSeries(label: "accuracy", y: (0..<20).map { 0.5 + 0.025 * Double($0) }),
            LineSeries(label: "val_accuracy", y: (0..<20).map { 0.48 + 0.024 * Double($0) }),
        ])
        let (canvas, layout) = chart.draw()
        let legend = try XCTUnwrap(layout.legend)
        let plot = layout.plot
        XCTAssertLessThan(legend.x + legend.width / 2, plot.x + plot.width / 2, "the legend moved off the right half")
        XCTAssertTrue(plot.contains(x: legend.x, y: legend.y), "and stays inside the plot, where there is room")
        let colours = Set(SeriesStyle.styles(count: 2).map(\.color))
        XCTAssertEqual(pixels(of: colours, in: legend, on: dataOnly(chart)), 0, "no curve pixel under the legend box")
        XCTAssertGreaterThan(pixels(of: colours, in: legend, on: canvas), 0, "the legend shows its line samples")
    }

    func testALegendWithNoFreeSpotInsideGoesOutsideThePlot() throws {
        // Zig-zags that sweep the whole plot: every spot inside would hide data.
        var series: [LineSeries] = []
        for index in 0..<3 {
            let values: [Double] = (0..<60).map { (step: Int) -> Double in Double((step + index) % 2) + Double(index) * 0.01 }
            series.append(LineSeries(label: "curve \(index)", y: values))
        }
        let chart = LineChart(series: series)
        let (canvas, layout) = chart.draw()
        let legend = try XCTUnwrap(layout.legend)
        XCTAssertFalse(legend.intersects(layout.plot), "legend \(legend) outside the plot \(layout.plot)")
        XCTAssertLessThanOrEqual(legend.x + legend.width, canvas.width)
        XCTAssertLessThan(layout.plot.width, 700, "the plot made room for it")
    }
}
