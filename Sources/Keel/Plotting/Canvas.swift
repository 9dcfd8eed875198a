/// A point on the canvas in pixels; (0, 0) is the top-left corner of the top-left pixel, so the
/// centre of pixel (i, j) is (i + 0.5, j + 0.5).
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A small RGB raster for charts and diagrams: lines (anti-aliased or not, any thickness),
/// rectangles and text in the built-in 5×7 bitmap font, saved as PNG.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major RGB bytes.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        opCheck(width > 0 && height > 0, "Canvas: size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for offset in stride(from: 0, to: pixels.count, by: 3) {
            pixels[offset] = background.red
            pixels[offset + 1] = background.green
            pixels[offset + 2] = background.blue
        }
    }

    public func color(x: Int, y: Int) -> Color {
        let offset = (y * width + x) * 3
        return Color(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
    }

    /// Paints one pixel with `color` at opacity `alpha`; pixels outside the canvas are ignored.
    public mutating func blend(x: Int, y: Int, color: Color, alpha: Double = 1) {
        guard x >= 0, y >= 0, x < width, y < height, alpha > 0 else { return }
        let painted = alpha >= 1 ? color : color.blended(over: self.color(x: x, y: y), alpha: alpha)
        let offset = (y * width + x) * 3
        pixels[offset] = painted.red
        pixels[offset + 1] = painted.green
        pixels[offset + 2] = painted.blue
    }

    public mutating func fillRectangle(x: Int, y: Int, width: Int, height: Int, color: Color) {
        for row in max(y, 0)..<max(min(y + height, self.height), max(y, 0)) {
            for column in max(x, 0)..<max(min(x + width, self.width), max(x, 0)) {
                blend(x: column, y: row, color: color)
            }
        }
    }

    /// The outline of a rectangle, `thickness` pixels wide, inside its bounds.
    public mutating func strokeRectangle(x: Int, y: Int, width: Int, height: Int, color: Color, thickness: Int = 1) {
        fillRectangle(x: x, y: y, width: width, height: thickness, color: color)
        fillRectangle(x: x, y: y + height - thickness, width: width, height: thickness, color: color)
        fillRectangle(x: x, y: y, width: thickness, height: height, color: color)
        fillRectangle(x: x + width - thickness, y: y, width: thickness, height: height, color: color)
    }

    public mutating func drawLine(from start: Point, to end: Point, color: Color, thickness: Double = 1,
                                  antialiased: Bool = true) {
        drawPolyline([start, end], color: color, thickness: thickness, antialiased: antialiased)
    }

    /// Connected segments through `points`. Each pixel takes the largest coverage of any segment,
    /// so joints are not painted twice (which would darken them when anti-aliasing).
    public mutating func drawPolyline(_ points: [Point], color: Color, thickness: Double = 1, antialiased: Bool = true) {
        guard points.count >= 2 else { return }
        // A thickness from a caller's arithmetic may be anything; a line wider than the canvas
        // diagonal covers it all anyway.
        let halfWidth = (thickness.isFinite ? min(max(thickness, 0.5), 4096) : 1) / 2
        let reach = halfWidth + 1
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard finite.count == points.count else { return }
        let left = max(0, PixelIndex.from(points.map(\.x).min()! - reach))
        let right = min(width - 1, PixelIndex.from(points.map(\.x).max()! + reach, rounding: .up))
        let top = max(0, PixelIndex.from(points.map(\.y).min()! - reach))
        let bottom = min(height - 1, PixelIndex.from(points.map(\.y).max()! + reach, rounding: .up))
        guard left <= right, top <= bottom else { return }
        let boxWidth = right - left + 1
        var coverage = [Double](repeating: 0, count: boxWidth * (bottom - top + 1))
        for (a, b) in zip(points, points.dropFirst()) {
            let y0 = max(top, PixelIndex.from(min(a.y, b.y) - reach))
            let y1 = min(bottom, PixelIndex.from(max(a.y, b.y) + reach, rounding: .up))
            guard y0 <= y1 else { continue }
            for row in y0...y1 {
                // Only the pixels near the segment, not its whole bounding box: a diagonal across
                // the plot (a log whose epochs go back) would otherwise cost the plot's area.
                guard let span = Canvas.rowSpan(ofCapsuleFrom: a, to: b, radius: reach, atY: Double(row) + 0.5) else { continue }
                let x0 = max(left, PixelIndex.from(span.lowerBound - 0.5))
                let x1 = min(right, PixelIndex.from(span.upperBound - 0.5, rounding: .up))
                guard x0 <= x1 else { continue }
                for column in x0...x1 {
                    let distance = Canvas.distance(from: Point(x: Double(column) + 0.5, y: Double(row) + 0.5), toSegment: a, b)
                    let value = antialiased ? min(max(halfWidth + 0.5 - distance, 0), 1) : (distance <= halfWidth ? 1 : 0)
                    let index = (row - top) * boxWidth + (column - left)
                    coverage[index] = max(coverage[index], value)
                }
            }
        }
        for (index, value) in coverage.enumerated() where value > 0 {
            blend(x: left + index % boxWidth, y: top + index / boxWidth, color: color, alpha: value)
        }
    }

    /// The x range, on the horizontal line at `y`, of the points within `radius` of segment a–b
    /// (a capsule: a band along the segment and a disc at each end; convex, so one interval).
    static func rowSpan(ofCapsuleFrom a: Point, to b: Point, radius: Double, atY y: Double) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for centre in [a, b] {
            let offset = y - centre.y, squared = radius * radius - offset * offset
            guard squared >= 0 else { continue }
            let half = squared.squareRoot()
            low = min(low, centre.x - half)
            high = max(high, centre.x + half)
        }
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        if length > 0 {
            // With u = x − a.x: the distance across the segment is |u·dy − (y − a.y)·dx| / length and
            // the position along it (u·dx + (y − a.y)·dy) / length² — both linear in u.
            var bandLow = -Double.infinity, bandHigh = Double.infinity, inBand = true
            func require(_ slope: Double, _ intercept: Double, in range: ClosedRange<Double>) {
                guard slope != 0 else { inBand = inBand && range.contains(intercept); return }
                let first = (range.lowerBound - intercept) / slope, second = (range.upperBound - intercept) / slope
                bandLow = max(bandLow, min(first, second))
                bandHigh = min(bandHigh, max(first, second))
            }
            require(dy, -(y - a.y) * dx, in: -radius * length...radius * length)
            require(dx, (y - a.y) * dy, in: 0...length * length)
            if inBand, bandLow <= bandHigh, bandLow.isFinite, bandHigh.isFinite {
                low = min(low, a.x + bandLow)
                high = max(high, a.x + bandHigh)
            }
        }
        return low <= high ? low...high : nil
    }

    static func distance(from p: Point, toSegment a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared == 0 ? 0 : min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0), 1)
        let cx = a.x + t * dx - p.x, cy = a.y + t * dy - p.y
        return (cx * cx + cy * cy).squareRoot()
    }

    /// A filled triangle; with anti-aliasing each edge pixel is shaded by the share of its 4×4
    /// sample points inside.
    public mutating func fillTriangle(_ a: Point, _ b: Point, _ c: Point, color: Color, antialiased: Bool = true) {
        let corners = [a, b, c]
        guard corners.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return }
        let left = max(0, PixelIndex.from(corners.map(\.x).min()!))
        let right = min(width - 1, PixelIndex.from(corners.map(\.x).max()!, rounding: .up))
        let top = max(0, PixelIndex.from(corners.map(\.y).min()!))
        let bottom = min(height - 1, PixelIndex.from(corners.map(\.y).max()!, rounding: .up))
        guard left <= right, top <= bottom else { return }
        func inside(_ x: Double, _ y: Double) -> Bool {
            func side(_ p: Point, _ q: Point) -> Double { (q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x) }
            let d1 = side(a, b), d2 = side(b, c), d3 = side(c, a)
            return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
        }
        let samples = antialiased ? 4 : 1
        for row in top...bottom {
            for column in left...right {
                var hits = 0
                for sy in 0..<samples {
                    for sx in 0..<samples where inside(Double(column) + (Double(sx) + 0.5) / Double(samples),
                                                       Double(row) + (Double(sy) + 0.5) / Double(samples)) {
                        hits += 1
                    }
                }
                blend(x: column, y: row, color: color, alpha: Double(hits) / Double(samples * samples))
            }
        }
    }

    /// A line from `start` to `end` ending in a filled arrowhead `headLength` long at `end`.
    public mutating func drawArrow(from start: Point, to end: Point, color: Color, thickness: Double = 1.5,
                                   headLength: Double = 10, antialiased: Bool = true) {
        let dx = end.x - start.x, dy = end.y - start.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let (ux, uy) = (dx / length, dy / length)
        let head = min(headLength, length)
        let base = Point(x: end.x - ux * head, y: end.y - uy * head)
        drawLine(from: start, to: base, color: color, thickness: thickness, antialiased: antialiased)
        let halfWidth = head * 0.4
        fillTriangle(end, Point(x: base.x - uy * halfWidth, y: base.y + ux * halfWidth),
                     Point(x: base.x + uy * halfWidth, y: base.y - ux * halfWidth), color: color, antialiased: antialiased)
    }

    // MARK: Text

    /// The width in pixels `text` takes at `scale` (no trailing spacing column).
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : (text.count * BitmapFont.advance - 1) * scale
    }

    /// The height of a line of text down to the baseline; descenders reach one font pixel lower.
    public static func textHeight(scale: Int = 1) -> Int { BitmapFont.glyphHeight * scale }

    /// Draws `text` with its top-left corner at (x, y), each font pixel a `scale`×`scale` block.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
        for (index, character) in text.enumerated() {
            let originX = x + index * BitmapFont.advance * scale
            for column in 0..<BitmapFont.glyphWidth {
                for row in 0..<BitmapFont.glyphRows where BitmapFont.isSet(character, column: column, row: row) {
                    fillRectangle(x: originX + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    /// Draws `text` turned a quarter counter-clockwise (reading upwards, like a y-axis label),
    /// with the bottom-left corner of its bounding box at (x, y).
    public mutating func drawVerticalText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
        for (index, character) in text.enumerated() {
            let along = index * BitmapFont.advance
            for column in 0..<BitmapFont.glyphWidth {
                for row in 0..<BitmapFont.glyphRows where BitmapFont.isSet(character, column: column, row: row) {
                    fillRectangle(x: x + row * scale, y: y - (along + column + 1) * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    /// Copies `other` with its top-left corner at (x, y), clipped to this canvas: how a figure
    /// puts its panels side by side.
    public mutating func draw(_ other: Canvas, x: Int, y: Int) {
        for row in max(0, -y)..<max(min(other.height, height - y), max(0, -y)) {
            for column in max(0, -x)..<max(min(other.width, width - x), max(0, -x)) {
                let source = (row * other.width + column) * 3
                let target = ((y + row) * width + (x + column)) * 3
                pixels[target] = other.pixels[source]
                pixels[target + 1] = other.pixels[source + 1]
                pixels[target + 2] = other.pixels[source + 2]
            }
        }
    }

    // MARK: Output

    public func image() throws -> PNGImage {
        try PNGImage(width: width, height: height, channels: 3, pixels: pixels)
    }

    public func write(to path: String) throws {
        try image().write(to: path)
    }
}
