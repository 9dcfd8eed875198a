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
    private let output: (String) -> Void

    public init(experimentName: String, runDirectory: RunDirectory, hyperparameters: [String: HyperValue],
                seed: UInt64, resumeFrom: String? = nil, output: @escaping (String) -> Void = { print($0) }) {
        self.experimentName = experimentName
        self.runDirectory = runDirectory
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.resumeFrom = resumeFrom
        self.output = output
    }

    public func log(_ message: String) { output(message) }

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
    public var status: String { path + "/status.json" }
}
