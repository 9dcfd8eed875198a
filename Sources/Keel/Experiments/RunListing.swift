import Foundation

/// What a run directory says about itself, read back from its files for `keel runs`: experiment,
/// start time, state (a dead `running` run is `interrupted`), epochs and last metrics.
public struct RunListing {
    public let path: String
    public let experiment: String
    /// ISO-8601 UTC, or nil for a run that recorded none.
    public let started: String?
    public let state: String
    public let error: String?
    public let epochs: Int?
    public let lastMetrics: [(String, String)]
    /// When the run started, for sorting: the recorded start, else the config's modification time.
    let sortDate: Date

    /// Every run directory (a folder with a config.json) under `root`, oldest first.
    public static func find(in root: String) throws -> [RunListing] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KeelError("runs directory \(root)", expected: "an existing directory", found: "nothing there")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        let configs = enumerator.compactMap { $0 as? String }
            .filter { $0 == "config.json" || $0.hasSuffix("/config.json") }
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        let runs = configs.map { relative in read("\(base)/\((relative as NSString).deletingLastPathComponent)") }
        return runs.sorted { ($0.sortDate, $0.path) < ($1.sortDate, $1.path) }
    }

    public static func read(_ path: String) -> RunListing {
        let directory = RunDirectory(path: path.hasSuffix("/") ? String(path.dropLast()) : path)
        var experiment = "?"
        if let text = try? FileBytes.readText(directory.config, what: "run config"),
           let name = (try? JSONValue.parse(text, source: directory.config))?.objectValue?["experiment"]?.stringValue {
            experiment = name
        }
        let status = RunStatus.read(directory.status)
        var metrics: [(String, String)] = []
        var epochs: Int?
        if let table = try? CSVTable.read(directory.log) {
            epochs = table.rows.count
            if let last = table.rows.last {
                for (key, value) in zip(table.header, last) where key != "epoch" && key != "step" && value != "NA" && !value.isEmpty {
                    metrics.append((key, Double(value).map { String(format: "%.4f", $0) } ?? value))
                }
            }
        }
        let started = status?.started
        let configDate = (try? FileManager.default.attributesOfItem(atPath: directory.config))?[.modificationDate] as? Date
        let sortDate = started.flatMap { ISO8601DateFormatter().date(from: $0) } ?? configDate ?? .distantPast
        return RunListing(path: directory.path, experiment: experiment, started: started,
                          state: status?.observedState.rawValue ?? "unknown", error: status?.error,
                          epochs: epochs, lastMetrics: metrics, sortDate: sortDate)
    }

    /// The start as `2026-12-03 16:01:03` (UTC), or `-`.
    public var startedText: String {
        guard let started else { return "-" }
        return started.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    /// Final metrics, then the error of a failed or crashed run.
    public var detailText: String {
        var parts = lastMetrics.map { "\($0.0)=\($0.1)" }
        if let error, state == "failed" || state == "crashed" { parts.append(error) }
        return parts.joined(separator: " ")
    }

    /// The header and one row per run, aligned by `keel runs`.
    public static let header = ["run", "experiment", "started", "status", "epochs", "final metrics"]
    public var row: [String] {
        [path, experiment, startedText, state, epochs.map(String.init) ?? "-", detailText]
    }
}
