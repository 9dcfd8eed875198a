import Foundation
import XCTest
@testable import Keel

/// More than ten curves stay distinguishable: no two share a colour.
final class PlotPaletteTests: XCTestCase {
    private func distance(_ a: Color, _ b: Color) -> Int {
        abs(Int(a.red) - Int(b.red)) + abs(Int(a.green) - Int(b.green)) + abs(Int(a.blue) - Int(b.blue))
    }

    func testEveryCurveCountGetsPairwiseDistinctColours() {
        for count in 1...64 {
            let colours = SeriesStyle.styles(count: count).map(\.color)
            XCTAssertEqual(colours.count, count)
            var closest = Int.max
            for i in colours.indices {
                for j in colours.indices where j > i { closest = min(closest, distance(colours[i], colours[j])) }
            }
            // Summed RGB differences: tab20 is at least ~40 apart; the wheel beyond 20 less as
            // it fills, but never equal.
            XCTAssertGreaterThan(closest, count <= 20 ? 30 : 8, "\(count) curves")
        }
        XCTAssertEqual(Array(SeriesStyle.styles(count: 10).map(\.color)), Color.series, "up to ten: matplotlib's tab10")
        XCTAssertTrue(SeriesStyle.styles(count: 12)[10...].allSatisfy { $0.dash != .solid },
                      "the lighter twins of tab20 are dashed")
    }

    func testTwelveCurvesDrawInTwelveColours() {
        let series = (0..<12).map { index in
            LineSeries(label: "s\(index)", y: (0..<40).map { Double(index) + 0.3 * sin(Double($0) / 4) })
        }
        let canvas = LineChart(series: series, width: 900, height: 600).render()
        var seen: [Color: Int] = [:]
        for y in 0..<canvas.height {
            for x in 0..<canvas.width { seen[canvas.color(x: x, y: y), default: 0] += 1 }
        }
        for (index, style) in SeriesStyle.styles(count: 12).enumerated() {
            XCTAssertGreaterThan(seen[style.color] ?? 0, 20, "curve \(index) in its colour")
        }
    }

    func testDashesLeaveGapsAlongTheLine() {
        let line = [Point(x: 0, y: 5), Point(x: 100, y: 5)]
        XCTAssertEqual(LineDash.solid.pieces(of: line, lineWidth: 2).count, 1)
        let dashes = LineDash.dashed.pieces(of: line, lineWidth: 2)
        // On 8 px, off 5 px along 100 px: 8 dashes.
        XCTAssertEqual(dashes.count, 8)
        XCTAssertEqual(dashes.first?.last?.x ?? 0, 8, accuracy: 1e-9)
        XCTAssertEqual(dashes[1].first?.x ?? 0, 13, accuracy: 1e-9)
    }
}
