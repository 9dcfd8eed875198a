import ArgumentParser
import Foundation

/// `keel plot <run-dir|log.csv>`: the loss and metric curves of a CSV log as a PNG.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Plot the curves of a run's log.csv (or any CSVLogger file) as a PNG.")

    @Argument(help: "A run directory or a CSV log.")
    var source: String

    @Option(help: "The PNG to write (default: <run>/plots/log.png, or next to the CSV).")
    var output: String?

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw KeelError("\(source)", expected: "a run directory or a CSV log", found: "nothing there")
        }
        let csv = isDirectory.boolValue ? RunDirectory(path: source).log : source
        let destination = output ?? (isDirectory.boolValue ? RunDirectory(path: source).plots + "/log.png"
                                                           : (csv as NSString).deletingPathExtension + ".png")
        let chart = try LogPlot.chart(csv: csv)
        // A bare name ("log.png") has no folder part: it goes to the working directory.
        let folder = (destination as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try chart.write(to: destination)
        print("wrote \(destination)")
    }
}

/// A line chart of every numeric column of a CSV log against its first column (the epoch).
enum LogPlot {
    static func chart(csv path: String) throws -> LineChart {
        let table = try CSVTable.read(path)
        guard table.header.count >= 2, !table.rows.isEmpty else {
            throw KeelError("CSV log \(path)", expected: "a header and at least one row with a value column",
                            found: "\(table.header.count) columns, \(table.rows.count) rows")
        }
        let x = table.rows.map { Double($0.first ?? "") ?? 0 }
        var series: [LineSeries] = []
        for (index, name) in table.header.enumerated().dropFirst() {
            let values = table.rows.map { index < $0.count ? Double($0[index]) : nil }
            guard values.contains(where: { $0 != nil }) else { continue }
            let pairs = zip(x, values).compactMap { a, b in b.map { (a, $0) } }
            series.append(LineSeries(label: name, x: pairs.map(\.0), y: pairs.map(\.1)))
        }
        guard !series.isEmpty else {
            throw KeelError("CSV log \(path)", expected: "at least one numeric column", found: "none")
        }
        return LineChart(title: (path as NSString).lastPathComponent, xLabel: table.header[0], yLabel: "value", series: series)
    }
}
