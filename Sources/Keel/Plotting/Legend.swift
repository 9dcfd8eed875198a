/// A chart legend: a white box with a row per labelled series, a line sample in the series'
/// colour and dash, then its label.
struct Legend {
    struct Entry {
        var label: String
        var style: SeriesStyle
    }

    let entries: [Entry]
    let scale: Int
    let lineWidth: Double
    let antialiased: Bool

    private var swatch: Int { 16 * scale }
    private var padding: Int { 4 * scale }
    private var rowHeight: Int { Canvas.textHeight(scale: scale) + 3 * scale }

    /// The box's size; nil when there is nothing to list.
    var size: (width: Int, height: Int)? {
        guard !entries.isEmpty else { return nil }
        let textWidth = entries.map { Canvas.textWidth($0.label, scale: scale) }.max() ?? 0
        return (padding * 3 + swatch + textWidth, padding * 2 + rowHeight * entries.count - 3 * scale)
    }

    func draw(on canvas: inout Canvas, in box: PixelRect) {
        canvas.fillRectangle(x: box.x, y: box.y, width: box.width, height: box.height, color: .white)
        canvas.strokeRectangle(x: box.x, y: box.y, width: box.width, height: box.height, color: .gray)
        for (row, entry) in entries.enumerated() {
            let y = box.y + padding + row * rowHeight
            let middle = Double(y) + Double(Canvas.textHeight(scale: scale)) / 2
            let sample = [Point(x: Double(box.x + padding), y: middle), Point(x: Double(box.x + padding + swatch), y: middle)]
            for piece in entry.style.dash.pieces(of: sample, lineWidth: lineWidth) {
                canvas.drawPolyline(piece, color: entry.style.color, thickness: lineWidth, antialiased: antialiased)
            }
            canvas.drawText(entry.label, x: box.x + padding * 2 + swatch, y: y, color: .black, scale: scale)
        }
    }
}
