import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Axis ticks, line charts and sample grids.
final class PlotChartTests: XCTestCase {
    func testTicksFallOnRoundNumbersInsideThePaddedRange() {
        let ticks = AxisTicks(minimum: 0, maximum: 1)
        XCTAssertEqual(ticks.lower, -0.05, accuracy: 1e-12)
        XCTAssertEqual(ticks.upper, 1.05, accuracy: 1e-12)
        XCTAssertEqual(ticks.values.map(ticks.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let batches = AxisTicks(minimum: 0, maximum: 3, targetCount: 8, integers: true)
        XCTAssertEqual(batches.values.map(batches.label), ["0", "1", "2", "3"])
        let losses = AxisTicks(minimum: 0.6931, maximum: 0.7012)
        XCTAssertTrue(losses.values.allSatisfy { $0 >= losses.lower && $0 <= losses.upper })
        XCTAssertEqual(losses.label(losses.values[0]).split(separator: ".").last?.count, 3)
        let flat = AxisTicks(minimum: 2, maximum: 2)
        XCTAssertLessThan(flat.lower, 2)
        XCTAssertGreaterThan(flat.upper, 2)
        XCTAssertEqual(AxisTicks(minimum: -1e-9, maximum: 1e-9).label(0), "0.0e+00")
        // Every tick of an axis has its own label, in exponent form too (a constant learning rate).
        for (low, high) in [(1e-3, 1e-3), (9.3e-4, 1.07e-3), (1.2e7, 1.3e7), (-3e-5, 4e-5), (0.1, 0.1003), (2e8, 9e8)] {
            let axis = AxisTicks(minimum: low, maximum: high)
            let labels = axis.values.map(axis.label)
            XCTAssertEqual(Set(labels).count, labels.count, "\(low)...\(high): \(labels)")
        }
    }

    func testLineChartDrawsEverySeriesAndWritesAPNG() throws {
        let chart = LineChart(title: "Training and validation loss", xLabel: "Epochs", yLabel: "Loss", series: [
            LineSeries(label: "Training loss", y: [1.0, 0.7, 0.5, 0.42, 0.4]),
            LineSeries(label: "Validation loss", y: [1.1, 0.8, .nan, 0.6, 0.65]),
        ])
        let canvas = chart.render()
        var colours: [Color: Int] = [:]
        var titlePixels = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let colour = canvas.color(x: x, y: y)
                colours[colour, default: 0] += 1
                if y < 30 && colour == .black { titlePixels += 1 }
            }
        }
        XCTAssertGreaterThan(colours[Color.series[0]] ?? 0, 100, "the first series in matplotlib blue")
        XCTAssertGreaterThan(colours[Color.series[1]] ?? 0, 100, "the second in orange")
        XCTAssertGreaterThan(titlePixels, 50, "a title at the top")
        XCTAssertGreaterThan(colours[.lightGray] ?? 0, 500, "grid lines")

        let directory = ProjectPaths.temporaryDirectory("keel-chart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("loss.png").path
        try chart.write(to: path)
        let image = try PNGImage.read(path)
        XCTAssertEqual([image.width, image.height, image.channels], [800, 500, 3])
        XCTAssertEqual(image.pixels, canvas.pixels)
    }

    func testChartsWithoutDataStillDrawTheirFrame() {
        let canvas = LineChart(title: "empty", series: [LineSeries(label: "nothing", y: [.nan])]).render()
        XCTAssertEqual(canvas.width, 800)
        XCTAssertTrue((0..<canvas.height).contains { canvas.color(x: 400, y: $0) == .darkGray })
    }

    func testSampleGridTilesImagesRowByRow() throws {
        // Four 2×2 gray images with constant values 0, 0.25, 0.5, 1 in a 2×3 grid, 1 pixel apart.
        let levels: [Float] = [0, 0.25, 0.5, 1]
        let images = Tensor(shape: [4, 2, 2, 1], scalars: levels.flatMap { Array(repeating: $0, count: 4) })
        let grid = try SampleGrid.image(images: images, rows: 2, columns: 3, scale: 1, spacing: 1, background: 1)
        XCTAssertEqual([grid.width, grid.height, grid.channels], [10, 7, 1])
        func pixel(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[y * grid.width + x] }
        XCTAssertEqual(pixel(1, 1), 0)
        XCTAssertEqual(pixel(2, 2), 0)
        XCTAssertEqual(pixel(4, 1), 64)
        XCTAssertEqual(pixel(7, 2), 128)
        XCTAssertEqual(pixel(1, 4), 255)
        XCTAssertEqual(pixel(0, 0), 255, "the gaps are the background")
        XCTAssertEqual(pixel(4, 4), 255, "cells without an image stay empty")
    }

    func testSampleGridMapsTanhOutputsAndChecksItsInput() throws {
        let images = Tensor(shape: [2, 1, 1, 3], scalars: [-1, 0, 1, 1, 0, -1])
        let grid = try SampleGrid.image(images: images, rows: 1, columns: 2, scale: 1, spacing: 0)
        XCTAssertEqual(grid.pixels, [0, 128, 255, 255, 128, 0])
        let unit = try SampleGrid.image(images: Tensor(shape: [1, 1, 1, 1], scalars: [0.5]), rows: 1, columns: 1,
                                        range: .symmetric, scale: 1, spacing: 0)
        XCTAssertEqual(unit.pixels, [191])
        XCTAssertThrowsError(try SampleGrid.image(images: Tensor(repeating: 0, shape: [5, 2, 2, 1]), rows: 2, columns: 2))
        XCTAssertThrowsError(try SampleGrid.image(images: Tensor(repeating: 0, shape: [1, 2, 2, 2]), rows: 1, columns: 1))
        XCTAssertThrowsError(try SampleGrid.image(images: Tensor(repeating: 0, shape: [4, 4]), rows: 2, columns: 2))
    }
}
