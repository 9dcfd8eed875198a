import Foundation

/// What an experiment gets from `keel run`: its run directory, hyper-parameters (defaults with
/// `--set` overrides), the seed, and the checkpoint to resume from.
public final class ExperimentContext {
    public let experimentName: String
    public let runDirectory: RunDirectory
    public let hyperparameters: [String: HyperValue]
    public let seed: UInt64
    /// The checkpoint directory of the run being resumed (`keel resume`), nil for a new run.
    public let resumeFrom: String?
    /// `<run>/tensorboard` when the run writes TensorBoard logs (`keel run --tensorboard`), else nil.
    public let tensorBoardDirectory: String?
    private let output: (String) -> Void
    /// The writers of the run's TensorBoard folders, shared by the experiment's code and fit's callback.
    let summaryWriters = SummaryWriterPool()
    var tensorBoardFits = 0

    public init(experimentName: String, runDirectory: RunDirectory, hyperparameters: [String: HyperValue],
                seed: UInt64, resumeFrom: String? = nil, tensorBoard: Bool = false,
                output: @escaping (String) -> Void = { print($0) }) {
        self.experimentName = experimentName
        self.runDirectory = runDirectory
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.resumeFrom = resumeFrom
        self.tensorBoardDirectory = tensorBoard ? runDirectory.tensorBoard : nil
        self.output = output
    }

    public func log(_ message: String) { output(message) }

    // MARK: resuming

    /// Save and restore for a hand-written training loop (see ExperimentCheckpoint).
    public private(set) lazy var checkpoint = ExperimentCheckpoint(path: runDirectory.checkpoints + "/resume.h5") { [runDirectory] in
        try ExperimentContext.recordResumePoint(runDirectory, "checkpoint")
    }

    private var backupDirectories: [String] = []

    /// The BackupAndRestore `fit` gets by default inside this run (FitDefaults): one folder per
    /// `fit`, `checkpoints/backup` for the first and `backup_2`, ... for later ones, so an
    /// experiment that fits several models resumes each. None when the experiment keeps its own
    /// checkpoint. The snapshots stay until the run finishes: a completed `fit` resumed is skipped.
    public func defaultBackup() throws -> BackupAndRestore? {
        guard !checkpoint.isInUse else { return nil }
        try ExperimentContext.recordResumePoint(runDirectory, "fit")
        let count = backupDirectories.count + 1
        backupDirectories.append(runDirectory.checkpoints + (count == 1 ? "/backup" : "/backup_\(count)"))
        let backup = BackupAndRestore(backupDirectory: backupDirectories[count - 1])
        backup.deleteCheckpoint = false
        return backup
    }

    /// `checkpoints/resume.json`, written when the experiment first uses a way to resume: `keel
    /// resume` continues only runs that have it, so it never restarts one that cannot continue.
    static func resumeRecord(_ run: RunDirectory) -> String { run.checkpoints + "/resume.json" }

    private static func recordResumePoint(_ run: RunDirectory, _ kind: String) throws {
        let record = resumeRecord(run)
        guard !FileManager.default.fileExists(atPath: record) else { return }
        try FileManager.default.createDirectory(atPath: run.checkpoints, withIntermediateDirectories: true)
        try AtomicFile.write(Array((JSONValue.object(["resumes_by": .string(kind)]).serialized() + "\n").utf8), to: record)
    }

    /// Refuses to resume a run whose experiment saved no way to continue (its loop neither uses
    /// `fit` nor `context.checkpoint`, or it was stopped before it started training).
    static func requireResumePoint(_ run: RunDirectory, experiment: String) throws {
        // Runs of Keel versions before the record kept only fit backups.
        let legacyBackup = run.checkpoints + "/backup/latest.weights.h5"
        guard FileManager.default.fileExists(atPath: resumeRecord(run)) || FileManager.default.fileExists(atPath: legacyBackup) else {
            throw KeelError("keel resume \(run.path)",
                            expected: "a run that saved a point to continue from (an experiment training with fit or context.checkpoint)",
                            found: "none: experiment '\(experiment)' cannot resume; start it again with `keel run \(experiment)`")
        }
    }

    /// Removes the snapshots a finished run no longer needs.
    func discardResumeState() throws {
        let files = FileManager.default
        for path in backupDirectories + [checkpoint.path, ExperimentContext.resumeRecord(runDirectory)] where files.fileExists(atPath: path) {
            try files.removeItem(atPath: path)
        }
        // A run whose checkpoints were all resume state keeps no empty folder.
        if (try? files.contentsOfDirectory(atPath: runDirectory.checkpoints))?.isEmpty == true {
            try files.removeItem(atPath: runDirectory.checkpoints)
        }
    }

    private func value(_ key: String) throws -> HyperValue {
        guard let v = hyperparameters[key] else {
            throw KeelError("hyper-parameter '\(key)' of \(experimentName)",
                            expected: "one of \(hyperparameters.keys.sorted().joined(separator: ", "))", found: "no such key")
        }
        return v
    }

    public func int(_ key: String) throws -> Int {
        guard case .int(let v) = try value(key) else { throw KeelError("hyper-parameter '\(key)'", expected: "an integer", found: "\(try value(key))") }
        return v
    }

    public func double(_ key: String) throws -> Double {
        switch try value(key) {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case let other: throw KeelError("hyper-parameter '\(key)'", expected: "a number", found: "\(other)")
        }
    }

    public func bool(_ key: String) throws -> Bool {
        guard case .bool(let v) = try value(key) else { throw KeelError("hyper-parameter '\(key)'", expected: "true or false", found: "\(try value(key))") }
        return v
    }

    public func string(_ key: String) throws -> String { "\(try value(key))" }
}

/// A run's folder, `runs/<experiment>/<id>/`, and the names of what goes in it. Every file is
/// written atomically, so a killed run leaves complete files that `keel resume` continues from.
/// Its subfolders (checkpoints/, samples/, plots/) are made by whatever writes into them.
public struct RunDirectory {
    public let path: String

    public init(path: String) { self.path = path }

    /// A new directory `<root>/<experiment>/<UTC timestamp>` (with a suffix if that exists).
    public static func create(root: String, experiment: String) throws -> RunDirectory {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let stamp = formatter.string(from: Date())
        var path = "\(root)/\(experiment)/\(stamp)"
        var n = 1
        while FileManager.default.fileExists(atPath: path) {
            n += 1
            path = "\(root)/\(experiment)/\(stamp)-\(n)"
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return RunDirectory(path: path)
    }

    /// The path of `relative` in the run (`"plots/loss.png"`), its folder created first. Folders
    /// such as samples/ and plots/ exist only once something is written into them.
    public func file(_ relative: String) throws -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw KeelError("run folder \(folder)", expected: "a directory that can be created", found: "\(error)")
        }
        return full
    }

    public var config: String { path + "/config.json" }
    public var log: String { path + "/log.csv" }
    public var checkpoints: String { path + "/checkpoints" }
    public var model: String { path + "/model.h5" }
    public var summary: String { path + "/summary.txt" }
    public var samples: String { path + "/samples" }
    public var plots: String { path + "/plots" }
    /// TensorBoard's logs (`keel run --tensorboard`): what `tensorboard --logdir runs/` shows.
    public var tensorBoard: String { path + "/tensorboard" }
    public var status: String { path + "/status.json" }
}
