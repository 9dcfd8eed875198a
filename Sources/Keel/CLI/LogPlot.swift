import Foundation

/// The figure `keel plot` draws from a CSV log: every numeric column against the first one,
/// in panels as `TrainingCurves` groups them (losses, each metric with its val_ twin,
/// learning rate). Values that cannot be drawn (nan, inf, an x that is not a number) are left
/// out, noted in the legend and reported through `warn`.
enum LogPlot {
    static func chart(csv path: String,
                      warn: (String) -> Void = { printError("keel: warning: " + $0) }) throws -> PanelFigure {
        let table = try CSVTable.read(path)
        guard table.header.count >= 2, !table.rows.isEmpty else {
            throw KeelError("CSV log \(path)", expected: "a header and at least one row with a value column",
                            found: "\(table.header.count) columns, \(table.rows.count) rows")
        }
        let xName = table.header[0]
        // A first field that is not a number gives NaN, so its row is skipped like a nan value.
        let x = table.rows.map { Double($0.first ?? "") ?? .nan }
        var columns: [TrainingCurves.Column] = []
        for (index, name) in table.header.enumerated().dropFirst() {
            let values = table.rows.map { index < $0.count ? Double($0[index]) : nil }
            // Text columns (and Keras's "NA" for a value an epoch lacked) are not curves.
            guard values.contains(where: { $0 != nil }) else { continue }
            columns.append(TrainingCurves.Column(name: name, x: x, values: values.map { $0 ?? .nan }))
        }
        guard !columns.isEmpty else {
            throw KeelError("CSV log \(path)", expected: "at least one numeric column", found: "none")
        }
        for column in columns {
            let skipped = zip(x, column.values).filter { !($0.0.isFinite && $0.1.isFinite) }.count
            if skipped > 0 { warn("\(path): \(column.name): \(skipped) of \(x.count) points are nan, inf or missing and are not drawn") }
        }
        if let row = x.indices.dropLast().first(where: { !(x[$0 + 1] > x[$0]) && x[$0].isFinite && x[$0 + 1].isFinite }) {
            // A log appended to by a restarted run goes back in time: drawn in file order, as
            // matplotlib would, but said, since the line then doubles back.
            warn("\(path): \(xName) does not increase (row \(row + 2) after row \(row + 1)); lines follow the file's order")
        }
        return try TrainingCurves.figure(title: (path as NSString).lastPathComponent, xName: xName,
                                         epochColumn: xName == "epoch", columns: columns)
    }
}
