import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a run's `status.json` says: its state, the error that ended it, when it started, and
/// which process runs it. A process killed with SIGKILL (or by a reboot) cannot update its
/// status, so a `running` status is only believed while that very process still exists.
public struct RunStatus: Equatable {
    public enum State: String {
        case running, finished, failed, crashed
        /// Never written: a `running` run whose process is gone.
        case interrupted
    }

    public var state: State
    /// Why the run failed or crashed.
    public var error: String?
    /// When the run first started (ISO-8601 UTC); a resume keeps it.
    public var started: String?
    /// The process that runs (or last ran) it.
    public var process: ProcessIdentity?

    public init(state: State, error: String? = nil, started: String? = nil, process: ProcessIdentity? = nil) {
        self.state = state
        self.error = error
        self.started = started
        self.process = process
    }

    /// The status of this process starting (or resuming) a run now.
    public static func runningHere(startedAt started: String? = nil) -> RunStatus {
        RunStatus(state: .running, started: started ?? timestamp(Date()), process: .current())
    }

    /// The state as `keel runs` shows it: `running` only while the recorded process lives.
    public var observedState: State {
        guard state == .running else { return state }
        return process?.isAlive == true ? .running : .interrupted
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public var json: JSONValue {
        var object: JSONObject = ["status": .string(state.rawValue)]
        if let error { object["error"] = .string(error) }
        if let started { object["started"] = .string(started) }
        if let process { object["process"] = process.json }
        return .object(object)
    }

    public func write(to path: String) throws {
        try AtomicFile.write(Array((json.serialized() + "\n").utf8), to: path)
    }

    /// Reads `path`; nil when there is no readable status (a run directory being created).
    public static func read(_ path: String) -> RunStatus? {
        guard let text = try? FileBytes.readText(path, what: "run status"),
              let object = (try? JSONValue.parse(text, source: path))?.objectValue,
              let name = object["status"]?.stringValue else { return nil }
        // An unknown state (a newer keel's) is shown as failed rather than trusted.
        let state = State(rawValue: name) ?? .failed
        return RunStatus(state: state, error: object["error"]?.stringValue ?? (State(rawValue: name) == nil ? name : nil),
                         started: object["started"]?.stringValue,
                         process: object["process"]?.objectValue.flatMap(ProcessIdentity.init(json:)))
    }
}

/// A process as the kernel knows it: its pid, plus the moment it started (clock ticks since
/// boot, field 22 of `/proc/<pid>/stat`) and the boot it started in, so that a pid reused by
/// another process, or a run from before a reboot, is not mistaken for the run's process.
public struct ProcessIdentity: Equatable {
    public var pid: Int32
    public var startTicks: UInt64?
    public var bootID: String?

    public init(pid: Int32, startTicks: UInt64?, bootID: String?) {
        self.pid = pid
        self.startTicks = startTicks
        self.bootID = bootID
    }

    public static func current() -> ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, startTicks: startTicks(of: pid), bootID: currentBootID())
    }

    /// Whether the process still runs: same boot, same pid, same start time, not a zombie.
    public var isAlive: Bool {
        guard pid > 0 else { return false }
        if let bootID, let now = ProcessIdentity.currentBootID(), bootID != now { return false }
        guard let recorded = startTicks else {
            // Without /proc (not Linux) the pid is all there is.
            return kill(pid, 0) == 0 || errno == EPERM
        }
        guard let fields = ProcessIdentity.statFields(of: pid), fields.state != "Z" else { return false }
        return fields.startTicks == recorded
    }

    /// The state letter and start time of `pid` from `/proc/<pid>/stat`. The command name (field
    /// 2) is in parentheses and may itself hold spaces and parentheses: fields are counted from
    /// the last `)`.
    static func statFields(of pid: Int32) -> (state: String, startTicks: UInt64)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // After the name: field 3 (state) is fields[0], field 22 (starttime) is fields[19].
        guard fields.count > 19, let ticks = UInt64(fields[19]) else { return nil }
        return (String(fields[0]), ticks)
    }

    static func startTicks(of pid: Int32) -> UInt64? { statFields(of: pid)?.startTicks }

    static func currentBootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var json: JSONValue {
        var object: JSONObject = ["pid": .int(Int(pid))]
        if let startTicks { object["start_ticks"] = .int(Int(truncatingIfNeeded: startTicks)) }
        if let bootID { object["boot_id"] = .string(bootID) }
        return .object(object)
    }

    init?(json object: JSONObject) {
        guard let pid = object["pid"]?.intValue, let pid32 = Int32(exactly: pid) else { return nil }
        self.pid = pid32
        self.startTicks = object["start_ticks"]?.intValue.flatMap { UInt64(exactly: $0) }
        self.bootID = object["boot_id"]?.stringValue
    }
}
