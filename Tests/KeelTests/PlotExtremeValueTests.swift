import Foundation
import XCTest
@testable import Keel

/// Property-style: charts of any Doubles, in any order, render without trapping, with a finite
/// axis, and show their finite data. The value pool is what broke the line chart in issue 12
/// (subnormals, values near ±Double.greatestFiniteMagnitude, equal values, nan and inf).
final class PlotExtremeValueTests: XCTestCase {
    static let pool: [Double] = [
        0, -0.0, 5e-324, -5e-324, 1e-320, Double.leastNormalMagnitude, 1e-300, 1e-9, 0.5, 1, -1, 2, 1e15, 1e15 + 2,
        123_456_789.123, 1e300, -1e300, 1.7e308, -1.7e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .nan, .infinity, -.infinity,
    ]

    /// A small deterministic generator, so a failure names a case that reproduces.
    private struct Cases {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func value() -> Double { PlotExtremeValueTests.pool[next(PlotExtremeValueTests.pool.count)] }
    }

    func testAxisTicksAreFiniteOrderedAndInsideTheirRangeForEveryPair() {
        for a in Self.pool {
            for b in Self.pool {
                // Integer ticks are asked for whole data only (the chart's epoch and batch axes).
                let whole = [a, b].allSatisfy { !$0.isFinite || $0 == $0.rounded() }
                for integers in whole ? [false, true] : [false] {
                    let ticks = AxisTicks(minimum: a, maximum: b, targetCount: 8, integers: integers)
                    let name = "AxisTicks(\(a), \(b), integers: \(integers))"
                    XCTAssertTrue(ticks.lower.isFinite && ticks.upper.isFinite && ticks.lower < ticks.upper, name)
                    XCTAssertTrue(ticks.halfSpan.isFinite && ticks.halfSpan > 0, name)
                    XCTAssertTrue(ticks.step.isFinite && ticks.step > 0, name)
                    XCTAssertFalse(ticks.values.isEmpty, "\(name) has no tick")
                    XCTAssertEqual(ticks.values, ticks.values.sorted(), name)
                    XCTAssertTrue(ticks.values.allSatisfy { $0 >= ticks.lower && $0 <= ticks.upper }, name)
                    for value in [a, b] where value.isFinite {
                        let fraction = ticks.fraction(value)
                        XCTAssertTrue(fraction >= 0 && fraction <= 1, "\(name): \(value) at \(fraction)")
                    }
                    XCTAssertTrue(ticks.values.allSatisfy { !ticks.label($0).isEmpty }, name)
                }
            }
        }
    }

    func testTicksSpanTheWholeDoubleRange() {
        let ticks = AxisTicks(minimum: -1.7e308, maximum: 1.7e308)
        XCTAssertEqual(ticks.values, [-1e308, 0, 1e308])
        XCTAssertEqual(ticks.values.map(ticks.label), ["-1.0e+308", "0.0e+00", "1.0e+308"])
    }

    func testChartsOfExtremeValuesRenderAndShowTheirFiniteData() {
        var cases = Cases(state: 12)
        for number in 0..<250 {
            let seriesCount = 1 + cases.next(3)
            let pointCount = 1 + cases.next(5)
            // Half the cases get x values from the pool too: repeated, decreasing, non-finite.
            let poolX = cases.next(2) == 0
            let series = (0..<seriesCount).map { index in
                LineSeries(label: ["a", "b", "c"][index],
                           x: (0..<pointCount).map { poolX ? cases.value() : Double($0) },
                           y: (0..<pointCount).map { _ in cases.value() })
            }
            var chart = LineChart(title: "case \(number)", xLabel: "x", yLabel: "y", series: series, width: 320, height: 220)
            chart.textScale = 1
            let (canvas, layout) = chart.draw()
            let name = "case \(number): " + series.map { "x \($0.x) y \($0.y)" }.joined(separator: "; ")
            XCTAssertEqual([canvas.width, canvas.height], [320, 220], name)
            // The last series with a finite point is drawn over the others: its colour shows
            // inside the plot frame.
            guard let shown = series.indices.last(where: { series[$0].nonFiniteCount < series[$0].x.count }) else { continue }
            let colour = SeriesStyle.styles(count: seriesCount)[shown].color
            let plot = layout.plot
            let visible = (plot.y..<(plot.y + plot.height)).contains { y in
                (plot.x..<(plot.x + plot.width)).contains { x in canvas.color(x: x, y: y) == colour }
            }
            XCTAssertTrue(visible, "\(name): series \(shown) not visible")
        }
    }

    func testFiguresOfExtremeColumnsRenderThroughTheTrainingLayout() throws {
        var cases = Cases(state: 99)
        for number in 0..<20 {
            let rows = 1 + cases.next(4)
            let x = (0..<rows).map { _ in cases.value() }
            let columns = ["loss", "val_loss", "accuracy", "learning_rate"].map { name in
                TrainingCurves.Column(name: name, x: x, values: (0..<rows).map { _ in cases.value() })
            }
            var figure = try TrainingCurves.figure(title: "case \(number)", xName: "epoch", epochColumn: true, columns: columns)
            figure.panelWidth = 300
            figure.panelHeight = 200
            let canvas = figure.render()
            XCTAssertEqual([canvas.width, canvas.height], [figure.width, figure.height], "case \(number)")
        }
    }

    func testNonFinitePointsAreNotedInTheLegend() {
        let chart = LineChart(series: [LineSeries(label: "val_loss", y: [1, .nan, .infinity, 2]),
                                       LineSeries(label: "loss", y: [1, 2])])
        XCTAssertEqual(chart.series[0].nonFiniteCount, 2)
        // The note widens the legend box by its text.
        let plain = LineChart(series: [LineSeries(label: "val_loss", y: [1, 3, 4, 2]), LineSeries(label: "loss", y: [1, 2])])
        let noted = chart.draw().layout.legend, unnoted = plain.draw().layout.legend
        let extra = Canvas.textWidth("val_loss (2 nan/inf not drawn)", scale: 2) - Canvas.textWidth("val_loss", scale: 2)
        XCTAssertEqual(noted.map(\.width), unnoted.map { $0.width + extra })
    }

    func testPixelIndexClampsWhatIntWouldTrapOn() {
        XCTAssertEqual(PixelIndex.from(.nan), -1_000_000)
        XCTAssertEqual(PixelIndex.from(.infinity), 1_000_000)
        XCTAssertEqual(PixelIndex.from(-1.7e308), -1_000_000)
        XCTAssertEqual(PixelIndex.from(2.5), 2)
        XCTAssertEqual(PixelIndex.from(2.5, rounding: .up), 3)
        var canvas = Canvas(width: 10, height: 10)
        canvas.drawPolyline([Point(x: -1e308, y: 5), Point(x: 1e308, y: 5)], color: .black, thickness: .infinity)
        canvas.fillTriangle(Point(x: 0, y: 0), Point(x: 1e300, y: 0), Point(x: 0, y: 1e300), color: .black)
    }
}
