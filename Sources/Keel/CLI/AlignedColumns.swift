/// Rows of cells printed in aligned columns, two spaces apart; the last column is not padded, so
/// a long free-form cell (metrics, an error) does not widen the others.
struct AlignedColumns {
    var rows: [[String]]

    var lines: [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                if index > 0 { line += "  " }
                line += cell
                if index < columns - 1 { line += String(repeating: " ", count: widths[index] - cell.count) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
