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
