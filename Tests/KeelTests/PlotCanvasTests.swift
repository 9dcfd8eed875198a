import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The raster canvas: exact pixels for lines, rectangles and the bitmap font.
final class PlotCanvasTests: XCTestCase {
    private func darkPixels(_ canvas: Canvas) -> Set<[Int]> {
        var dark = Set<[Int]>()
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas.color(x: x, y: y) != .white { dark.insert([x, y]) }
        }
        return dark
    }

    func testCrispLinesCoverExactlyTheirPixels() {
        var canvas = Canvas(width: 12, height: 6)
        canvas.drawLine(from: Point(x: 0.5, y: 2.5), to: Point(x: 9.5, y: 2.5), color: .black, antialiased: false)
        XCTAssertEqual(darkPixels(canvas), Set((0...9).map { [$0, 2] }))
        var thick = Canvas(width: 6, height: 12)
        thick.drawLine(from: Point(x: 3, y: 1), to: Point(x: 3, y: 10), color: .black, thickness: 2, antialiased: false)
        // Round ends reach half a pixel past each end point.
        XCTAssertEqual(darkPixels(thick), Set((0...10).flatMap { [[2, $0], [3, $0]] }))
    }

    func testAntialiasedLinesShadeTheirEdges() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.drawLine(from: Point(x: 2, y: 3), to: Point(x: 17, y: 15), color: .black)
        let shades = Set(darkPixels(canvas).map { canvas.color(x: $0[0], y: $0[1]).red })
        XCTAssertTrue(shades.contains { $0 > 0 && $0 < 255 }, "partly covered pixels are gray")
        XCTAssertTrue(shades.contains { $0 < 64 }, "pixels on the line are dark")
        // A polyline paints each pixel once: the joint is no darker than the straight parts.
        var polyline = Canvas(width: 20, height: 10)
        polyline.drawPolyline([Point(x: 1, y: 5), Point(x: 10, y: 5), Point(x: 19, y: 5)], color: .black)
        XCTAssertEqual(polyline.color(x: 9, y: 4), polyline.color(x: 5, y: 4))
    }

    func testRectanglesAndBlending() {
        var canvas = Canvas(width: 8, height: 8, background: .black)
        canvas.fillRectangle(x: -2, y: 6, width: 4, height: 5, color: .white)
        XCTAssertEqual(darkPixels(canvas).count, 64 - 4)
        canvas.strokeRectangle(x: 2, y: 0, width: 4, height: 4, color: .white)
        XCTAssertEqual(canvas.color(x: 3, y: 1), .black, "inside the outline")
        XCTAssertEqual(canvas.color(x: 5, y: 3), .white)
        canvas.blend(x: 7, y: 7, color: .white, alpha: 0.5)
        XCTAssertEqual(canvas.color(x: 7, y: 7), Color(red: 128, green: 128, blue: 128))
    }

    func testTextUsesTheFiveBySevenGlyphs() {
        XCTAssertEqual(Canvas.textWidth("AB", scale: 1), 11)
        XCTAssertEqual(Canvas.textWidth("AB", scale: 2), 22)
        XCTAssertEqual(Canvas.textHeight(scale: 3), 21)
        var canvas = Canvas(width: 6, height: 8)
        canvas.drawText("L", x: 0, y: 0, color: .black)
        // L: the left column and the bottom row.
        XCTAssertEqual(darkPixels(canvas), Set((0...6).map { [0, $0] } + (0...4).map { [$0, 6] }))
        var turned = Canvas(width: 8, height: 6)
        turned.drawVerticalText("L", x: 0, y: 6, color: .black)
        // Turned a quarter counter-clockwise: the left column becomes the bottom row.
        XCTAssertEqual(darkPixels(turned), Set((0...6).map { [$0, 5] } + (1...4).map { [6, 5 - $0] }))
    }

    func testEveryPrintableCharacterHasItsOwnGlyph() {
        var patterns: [Set<[Int]>: Character] = [:]
        for code in 0x21...0x7E {
            let character = Character(Unicode.Scalar(UInt8(code)))
            var canvas = Canvas(width: 6, height: 8)
            canvas.drawText(String(character), x: 0, y: 0, color: .black)
            let pattern = darkPixels(canvas)
            XCTAssertFalse(pattern.isEmpty, "'\(character)' draws nothing")
            let rows = "gjpqy".contains(character) ? 8 : 7
            XCTAssertTrue(pattern.allSatisfy { $0[0] < 5 && $0[1] < rows }, "'\(character)' leaves its 5×\(rows) box")
            if let twin = patterns[pattern] { XCTFail("'\(character)' looks like '\(twin)'") }
            patterns[pattern] = character
        }
        var space = Canvas(width: 6, height: 8)
        space.drawText(" ", x: 0, y: 0, color: .black)
        XCTAssertTrue(darkPixels(space).isEmpty)
        var unknown = Canvas(width: 6, height: 8), question = Canvas(width: 6, height: 8)
        unknown.drawText("é", x: 0, y: 0, color: .black)
        question.drawText("?", x: 0, y: 0, color: .black)
        XCTAssertEqual(darkPixels(unknown), darkPixels(question), "non-ASCII draws as '?'")
    }

    func testCanvasBecomesAnRGBPNG() throws {
        var canvas = Canvas(width: 5, height: 3)
        canvas.blend(x: 4, y: 2, color: Color(hex: 0x1F77B4))
        let image = try canvas.image()
        XCTAssertEqual([image.width, image.height, image.channels], [5, 3, 3])
        XCTAssertEqual(Array(image.pixels.suffix(3)), [0x1F, 0x77, 0xB4])
    }

    /// Lines are drawn from the pixels near each segment only; the result is the same as testing
    /// every pixel of the canvas against every segment (the definition of a thick line).
    func testPolylinesCoverExactlyThePixelsNearTheirSegments() {
        func segmentDistance(_ p: Point, _ a: Point, _ b: Point) -> Double {
            let dx = b.x - a.x, dy = b.y - a.y, lengthSquared = dx * dx + dy * dy
            let t = lengthSquared == 0 ? 0 : min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0), 1)
            let cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y
            return (cx * cx + cy * cy).squareRoot()
        }
        var generator = SplitMix64(seed: 5)
        for round in 0..<40 {
            let width = 48, height = 32
            let points = (0..<(2 + round % 6)).map { _ in
                Point(x: Double.random(in: -8...56, using: &generator), y: Double.random(in: -8...40, using: &generator))
            }
            let thickness = [0.5, 1, 2, 3.5, 7][round % 5]
            let antialiased = round % 2 == 0
            var drawn = Canvas(width: width, height: height)
            drawn.drawPolyline(points, color: .black, thickness: thickness, antialiased: antialiased)
            var expected = Canvas(width: width, height: height)
            let half = thickness / 2
            for y in 0..<height {
                for x in 0..<width {
                    let centre = Point(x: Double(x) + 0.5, y: Double(y) + 0.5)
                    let distance = zip(points, points.dropFirst()).map { segmentDistance(centre, $0, $1) }.min()!
                    let value = antialiased ? min(max(half + 0.5 - distance, 0), 1) : (distance <= half ? 1 : 0)
                    if value > 0 { expected.blend(x: x, y: y, color: .black, alpha: value) }
                }
            }
            for y in 0..<height {
                for x in 0..<width where drawn.color(x: x, y: y) != expected.color(x: x, y: y) {
                    XCTFail("round \(round): pixel (\(x), \(y)) is \(drawn.color(x: x, y: y)), expected \(expected.color(x: x, y: y))")
                    return
                }
            }
        }
    }
}
