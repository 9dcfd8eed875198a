import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Sample grids are enlarged to a size one can look at, pixel for pixel.
final class PlotSampleGridTests: XCTestCase {
    func testSmallImagesAreEnlargedNearestNeighbourWithGapsBetweenTiles() throws {
        // Four 28×28 gray images (MNIST-sized), each a left half at 0 and a right half at 1.
        let tile = (0..<28).flatMap { _ in (0..<28).map { Float($0 < 14 ? 0 : 1) } }
        let images = Tensor(shape: [4, 28, 28, 1], scalars: Array((0..<4).map { _ in tile }.joined()))
        let grid = try SampleGrid.image(images: images, rows: 2, columns: 2, background: 0.5)
        let scale = SampleGrid.automaticScale(rows: 2, columns: 2, height: 28, width: 28)
        XCTAssertEqual(scale, 5)
        let gap = max(2, scale)
        XCTAssertEqual(grid.width, 2 * 28 * scale + 3 * gap)
        XCTAssertGreaterThanOrEqual(grid.width, SampleGrid.viewableSize)
        func pixel(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[y * grid.width + x] }
        // Each image pixel is a scale×scale square: the first tile's halves meet at 14·scale.
        for y in gap..<(gap + 28 * scale) {
            XCTAssertEqual(pixel(gap + 14 * scale - 1, y), 0)
            XCTAssertEqual(pixel(gap + 14 * scale, y), 255)
        }
        // Background between the tiles, across the whole height.
        let between = gap + 28 * scale
        XCTAssertTrue((0..<grid.height).allSatisfy { pixel(between, $0) == 128 && pixel(between + gap - 1, $0) == 128 })
        XCTAssertEqual(pixel(between + gap, gap), 0, "the second tile starts after the gap")

        let single = try SampleGrid.image(images: Tensor(shape: [1, 28, 28, 1], scalars: tile), rows: 1, columns: 1)
        XCTAssertGreaterThanOrEqual(min(single.width, single.height), 256)
        let large = SampleGrid.automaticScale(rows: 8, columns: 8, height: 64, width: 64)
        XCTAssertEqual(large, 1, "grids already large enough stay as they are")
    }

    func testLayoutsTooLargeToAllocateAreRefused() {
        let image = Tensor(repeating: 0, shape: [1, 2, 2, 1])
        XCTAssertThrowsError(try SampleGrid.image(images: image, rows: Int.max, columns: Int.max))
        XCTAssertThrowsError(try SampleGrid.image(images: image, rows: 1, columns: 1, scale: 1 << 40))
        XCTAssertThrowsError(try SampleGrid.image(images: image, rows: 100_000, columns: 100_000))
        XCTAssertThrowsError(try SampleGrid.image(images: image, rows: 1, columns: 1, scale: 0))
    }

    func testAGridFileIsAPNGThatFileRecognises() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-grid")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("grid.png").path
        try SampleGrid.write(images: Tensor(repeating: 0.5, shape: [9, 28, 28, 3]), rows: 3, columns: 3, to: path)
        let image = try PNGImage.read(path)
        let described = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), ["-b", path])
        XCTAssertTrue(described.stdout.hasPrefix("PNG image data, \(image.width) x \(image.height), 8-bit/color RGB"),
                      described.stdout)
        XCTAssertGreaterThanOrEqual(image.width, 256)
    }
}
