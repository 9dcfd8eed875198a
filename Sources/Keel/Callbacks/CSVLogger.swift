import Foundation

/// Streams each epoch's logs to a CSV file as Keras's `CSVLogger` does (keras-spec §3): a header
/// `epoch` + the sorted keys of the first epoch (plus `val_` twins when the first epoch had no
/// validation), `NA` for a missing value, numbers as Python's `str(float)`, lines ended by
/// "\r\n". Each epoch's row is on disk before the next epoch starts.
@Component(.plain)
public final class CSVLogger: Callback {
    public override class var kerasClassName: String { "CSVLogger" }

    @Hyper("filename") public var filename: String
    @Hyper("separator") public var separator: Character = ","
    /// Add to an existing file (no second header) instead of starting it afresh.
    @Hyper("append") public var append: Bool = false

    /// The columns after `epoch`, fixed by the first epoch of a run.
    public private(set) var keys: [String]?
    private var headerPending = true

    /// The separator must be one a CSV file can hold (not a quote or a line break).
    public override func check() throws {
        try super.check()
        _ = try format
    }

    private var format: CSVFormat {
        get throws {
            do {
                return try CSVFormat(separator: separator, lineTerminator: "\r\n")
            } catch {
                throw KeelError("CSVLogger: field 'separator': \(error)")
            }
        }
    }

    public override func onTrainBegin(logs: Logs) throws {
        keys = nil
        if append {
            headerPending = CSVLogger.firstLineIsEmpty(filename)
        } else {
            headerPending = true
            // Keras opens the file with mode "w" here: a run that logs no epoch leaves it empty.
            do {
                try AtomicFile.write([], to: filename)
            } catch {
                throw KeelError("CSVLogger: \(error)")
            }
        }
    }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        if keys == nil {
            var columns = logs.keys
            // Validation may start after the first epoch (validation_freq): reserve its columns.
            if !columns.contains(where: { $0.hasPrefix("val_") }) { columns += columns.map { "val_" + $0 } }
            keys = columns
        }
        let columns = keys ?? []
        var rows: [[String]] = []
        if headerPending { rows.append(["epoch"] + columns) }
        rows.append([String(epoch)] + columns.map { key in logs[key].map(PythonText.str) ?? "NA" })
        do {
            try CSV.append(rows, to: filename, format: try format)
        } catch {
            throw KeelError("CSVLogger: \(error)")
        }
        headerPending = false
    }

    /// Keras writes a header in append mode only when `readline()` returns nothing: the file is
    /// missing or empty (a first line holding just a line break still counts as a line).
    static func firstLineIsEmpty(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 1))?.isEmpty ?? true
    }
}

extension CSVLogger: ResumableCallback {
    /// The rows written so far: a resumed run starts from exactly this file, even if the
    /// interrupted process wrote a row after the snapshot.
    public func saveResumeState(into group: HDF5Group) throws {
        let text = String(decoding: (try? FileBytes.read(filename, what: "CSV log")) ?? [], as: UTF8.self)
        try group.writeState(["keys": keys.map { .array($0.map { .string($0) }) } ?? .null,
                              "header_pending": .bool(headerPending), "content": .string(text)])
    }

    public func restoreResumeState(from group: HDF5Group) throws {
        let state = try group.readState()
        keys = state["keys"]?.arrayValue?.compactMap(\.stringValue)
        headerPending = state["header_pending"]?.boolValue ?? true
        try AtomicFile.write(Array((state["content"]?.stringValue ?? "").utf8), to: filename)
    }
}

/// One character, as Python's csv module takes for a separator.
extension Character: ConfigRepresentable {
    public init(configValue: JSONValue) throws {
        guard let text = configValue.stringValue, text.count == 1, let character = text.first else {
            throw ConfigMismatch("one character (Python's csv module takes no longer one)")
        }
        self = character
    }

    public var configValue: JSONValue { .string(String(self)) }
}
