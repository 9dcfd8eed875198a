/// Draws a table the way the `rich` library does for Keras's `model.summary()`: heavy header box,
/// a line between rows, word wrapping, and an ellipsis for words too long for their column.
struct TextTable {
    enum Justify { case left, right }

    struct Column {
        let header: String
        /// Width including one space of padding on each side.
        let width: Int
        let justify: Justify
    }

    let columns: [Column]
    var rows: [[String]] = []

    /// Column widths as Keras asks rich for them: `int(position · lineLength)` differences, each
    /// plus 2 padding, then shrunk evenly (Python rounding) until the table fits `lineLength`.
    static func columnWidths(positions: [Double], lineLength: Int) -> [Int] {
        var current = 0
        var widths: [Int] = []
        for position in positions {
            let width = Int(position * Double(lineLength)) - current
            widths.append(width + 2)
            current += width
        }
        let available = lineLength - (positions.count + 1)
        let excess = widths.reduce(0, +) - available
        guard excess > 0 else { return widths }
        var remaining = excess
        var ratioLeft = widths.count
        return widths.map { width in
            let share = min(width, pythonRound(Double(remaining) / Double(ratioLeft)))
            remaining -= share
            ratioLeft -= 1
            return width - share
        }
    }

    /// Python's round(): halves go to the even neighbour.
    static func pythonRound(_ x: Double) -> Int { Int(x.rounded(.toNearestOrEven)) }

    func render() -> [String] {
        var lines: [String] = []
        func rule(_ left: String, _ fill: String, _ middle: String, _ right: String) -> String {
            left + columns.map { String(repeating: fill, count: $0.width) }.joined(separator: middle) + right
        }
        lines.append(rule("┏", "━", "┳", "┓"))
        lines += renderRow(columns.map(\.header), border: "┃")
        lines.append(rule("┡", "━", "╇", "┩"))
        for (i, row) in rows.enumerated() {
            if i > 0 { lines.append(rule("├", "─", "┼", "┤")) }
            lines += renderRow(row, border: "│")
        }
        lines.append(rule("└", "─", "┴", "┘"))
        return lines
    }

    private func renderRow(_ cells: [String], border: String) -> [String] {
        let wrapped = zip(cells, columns).map { TextTable.wrap($0, width: $1.width - 2) }
        let height = wrapped.map(\.count).max() ?? 1
        return (0..<height).map { lineIndex in
            border + zip(wrapped, columns).map { lines, column in
                let text = lineIndex < lines.count ? lines[lineIndex] : ""
                let pad = String(repeating: " ", count: max(0, column.width - 2 - text.count))
                return " " + (column.justify == .left ? text + pad : pad + text) + " "
            }.joined(separator: border) + border
        }
    }

    /// rich's word wrap without folding: words move to the next line when they do not fit; a
    /// word longer than the width stays on its own line and is cut with "…".
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var lines: [String] = []
        var current = ""
        for word in words(text) {
            let bare = word.trimmingTrailingSpaces()
            if width - current.count >= bare.count {
                current += word
            } else {
                if !current.isEmpty { lines.append(current) }
                current = word
            }
        }
        lines.append(current)
        return lines.map { line in
            let trimmed = line.trimmingTrailingSpaces()
            return trimmed.count > width ? String(trimmed.prefix(width - 1)) + "…" : trimmed
        }
    }

    /// Words with their trailing spaces.
    private static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inSpaces = false
        for ch in text {
            if ch == " " {
                inSpaces = true
                current.append(ch)
            } else {
                if inSpaces { result.append(current); current = ""; inSpaces = false }
                current.append(ch)
            }
        }
        if !current.isEmpty || result.isEmpty { result.append(current) }
        return result
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
