import ArgumentParser
import Foundation

/// `keel runs [DIR]`: one line per run directory with its status and final metrics.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the runs under a directory (default: runs/) with their final metrics.")

    @Argument(help: "The runs directory.")
    var directory: String = "runs"

    func run() throws {
        let runs = try RunListing.find(in: directory)
        guard !runs.isEmpty else {
            print("no runs under \(directory)")
            return
        }
        for run in runs { print(run.line) }
    }
}

/// What a run directory says about itself, read back from its files.
struct RunListing {
    let path: String
    let experiment: String
    let status: String
    let lastMetrics: [(String, String)]

    var line: String {
        let metrics = lastMetrics.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        return "\(path)  \(experiment)  \(status)" + (metrics.isEmpty ? "" : "  " + metrics)
    }

    static func find(in root: String) throws -> [RunListing] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KeelError("runs directory \(root)", expected: "an existing directory", found: "nothing there")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        let configs = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix("config.json") }.sorted()
        return configs.map { relative in
            let path = "\(root)/\((relative as NSString).deletingLastPathComponent)"
            return read(path)
        }
    }

    static func read(_ path: String) -> RunListing {
        func json(_ file: String) -> JSONObject? {
            guard let text = try? String(contentsOfFile: "\(path)/\(file)", encoding: .utf8) else { return nil }
            return (try? JSONValue.parse(text, source: file))?.objectValue
        }
        let experiment = json("config.json")?["experiment"]?.stringValue ?? "?"
        let status = json("status.json")?["status"]?.stringValue ?? "unknown"
        var metrics: [(String, String)] = []
        if let table = try? CSVTable.read("\(path)/log.csv"), let last = table.rows.last {
            for (key, value) in zip(table.header, last) where key != "epoch" && value != "NA" {
                metrics.append((key, Double(value).map { String(format: "%.4f", $0) } ?? value))
            }
            metrics.insert(("epochs", String(table.rows.count)), at: 0)
        }
        return RunListing(path: path, experiment: experiment, status: status, lastMetrics: metrics)
    }
}
