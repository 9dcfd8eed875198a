import Foundation

/// Runs an experiment the way `keel run` does: load plugins, resolve the experiment by name or
/// folder, merge hyper-parameters, make the run directory with its config, run, record status.
/// Everything that can be wrong with the request is checked before the run directory exists.
public struct ExperimentRunner {
    public var runsRoot: String
    public var output: (String) -> Void
    public var warn: (String) -> Void

    public init(runsRoot: String = "runs", output: @escaping (String) -> Void = { print($0) },
                warn: @escaping (String) -> Void = { FileHandle.standardError.write(Data(("keel: warning: " + $0 + "\n").utf8)) }) {
        self.runsRoot = runsRoot
        self.output = output
        self.warn = warn
    }

    /// Loads every plugin (reporting the ones that fail) and returns the experiment `target`
    /// names, or the one a plugin folder at path `target` brings.
    public func resolve(_ target: String) throws -> Experiment.Type {
        var isDirectory: ObjCBool = false
        let isFolder = target.contains("/") || (FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue)
        let before = Set(Registries.experiments.classNames)
        if isFolder {
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw KeelError("experiment folder \(target)", expected: "a directory of Swift sources", found: "no such directory")
            }
            for failure in PluginHost.shared.loadAll() { warn(failure.reason) }
            let alreadyLoaded = Set(Registries.experiments.classNames)
            try PluginHost.shared.load(folder: target)
            let added = Registries.experiments.classNames.filter { !alreadyLoaded.contains($0) }
            let candidates = added.isEmpty ? Registries.experiments.classNames.filter { !before.contains($0) } : added
            guard candidates.count == 1, let type = experimentType(candidates[0]) else {
                throw KeelError("plugin folder \(target)", expected: "exactly one experiment",
                                found: candidates.isEmpty ? "none" : candidates.joined(separator: ", "))
            }
            return type
        }
        for failure in PluginHost.shared.loadAll() { warn(failure.reason) }
        guard Registries.experiments.contains(target), let type = experimentType(target) else {
            throw Registries.experiments.unknown(target)
        }
        return type
    }

    private func experimentType(_ name: String) -> Experiment.Type? {
        (try? Registries.experiments.make(name)).map { type(of: $0) }
    }

    /// Defaults overridden by `--epochs`, `--batch-size` and `--set key=value`.
    public static func hyperparameters(for type: Experiment.Type, epochs: Int?, batchSize: Int?,
                                       settings: [String]) throws -> [String: HyperValue] {
        var values = type.defaults
        func set(_ key: String, _ text: String, flag: String) throws {
            guard let example = values[key] else {
                throw KeelError("\(flag) for experiment '\(type.name)'",
                                expected: "one of its hyper-parameters: \(values.keys.sorted().joined(separator: ", "))",
                                found: "'\(key)'")
            }
            values[key] = try HyperValue.parse(text, like: example, key: key)
        }
        if let epochs {
            guard epochs > 0 else { throw KeelError("--epochs", expected: "a positive integer", found: "\(epochs)") }
            try set("epochs", String(epochs), flag: "--epochs")
        }
        if let batchSize {
            guard batchSize > 0 else { throw KeelError("--batch-size", expected: "a positive integer", found: "\(batchSize)") }
            try set("batch_size", String(batchSize), flag: "--batch-size")
        }
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw KeelError("--set \(setting)", expected: "key=value", found: "'\(setting)'")
            }
            try set(String(setting[..<eq]), String(setting[setting.index(after: eq)...]), flag: "--set")
        }
        try checkRanges(values, of: type, source: "--set")
        return values
    }

    /// Counts (epochs, steps, sizes: integers whose default is positive) must stay positive, and
    /// fractions (numbers whose default is in (0, 1), such as dropout rates) must stay in [0, 1].
    static func checkRanges(_ values: [String: HyperValue], of type: Experiment.Type, source: String) throws {
        for (key, value) in values {
            switch (type.defaults[key], value) {
            case (.int(let example)?, .int(let v)) where example > 0 && v <= 0:
                throw KeelError("\(source) \(key)=\(v) for experiment '\(type.name)'", expected: "a positive integer", found: "\(v)")
            case (.double(let example)?, .double(let v)) where example > 0 && example < 1 && !(0...1).contains(v):
                throw KeelError("\(source) \(key)=\(v) for experiment '\(type.name)'", expected: "a number in [0, 1]", found: "\(v)")
            default:
                continue
            }
        }
    }

    /// Continues the run in `path` (`keel resume`): the same experiment, hyper-parameters and
    /// seed, in the same directory, from its last snapshot.
    @discardableResult
    public func resume(_ path: String) throws -> RunDirectory {
        let run = RunDirectory(path: path)
        guard let text = try? String(contentsOfFile: run.config, encoding: .utf8) else {
            throw KeelError("run directory \(path)", expected: "a config.json written by keel run", found: "none")
        }
        let config = ConfigReader(try JSONValue.parse(text, source: run.config).objectValue ?? JSONObject(),
                                  owner: run.config)
        if let status = try? String(contentsOfFile: run.status, encoding: .utf8), status.contains("\"finished\"") {
            throw KeelError("run directory \(path)", expected: "an interrupted run", found: "a finished run")
        }
        try ExperimentContext.requireResumePoint(run, experiment: try config.string("experiment"))
        let type = try resolve(try config.string("experiment"))
        var hyperparameters = type.defaults
        for (key, value) in try config.object("hyperparameters") {
            guard let example = hyperparameters[key] else { continue }
            let text: String
            switch value {
            case .string(let s): text = s
            case .double(let d): text = "\(d)"
            default: text = value.serialized()
            }
            do {
                hyperparameters[key] = try HyperValue.parse(text, like: example, key: key)
            } catch {
                throw KeelError("\(run.config): hyper-parameter '\(key)'", expected: "a value like \(example)", found: text)
            }
        }
        try ExperimentRunner.checkRanges(hyperparameters, of: type, source: run.config)
        let seed = UInt64(bitPattern: Int64(try config.int("seed")))
        return try execute(type, hyperparameters: hyperparameters, seed: seed, run: run, resumeFrom: path)
    }

    /// Runs `type` in a new run directory (or `runDirectory` if given) and returns it.
    @discardableResult
    public func run(_ type: Experiment.Type, hyperparameters: [String: HyperValue], seed: UInt64,
                    runDirectory requested: String? = nil) throws -> RunDirectory {
        let run: RunDirectory
        if let requested {
            try FileManager.default.createDirectory(atPath: requested, withIntermediateDirectories: true)
            run = RunDirectory(path: requested)
            for folder in [run.checkpoints, run.samples, run.plots] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } else {
            run = try RunDirectory.create(root: runsRoot, experiment: type.name)
        }
        var config = JSONObject()
        config["experiment"] = .string(type.name)
        config["seed"] = .int(Int(truncatingIfNeeded: seed))
        var hyper = JSONObject()
        for key in hyperparameters.keys.sorted() { hyper[key] = hyperparameters[key]!.json }
        config["hyperparameters"] = .object(hyper)
        config["keel_version"] = .string(KeelVersion.string)
        config["engine"] = .string(Engine.buildIdentity)
        try AtomicFile.write(Array((JSONValue.object(config).serialized() + "\n").utf8), to: run.config)
        return try execute(type, hyperparameters: hyperparameters, seed: seed, run: run, resumeFrom: nil)
    }

    private func execute(_ type: Experiment.Type, hyperparameters: [String: HyperValue], seed: UInt64,
                         run: RunDirectory, resumeFrom: String?) throws -> RunDirectory {
        try writeStatus(run, "running")
        output((resumeFrom == nil ? "Run directory: " : "Resuming run: ") + run.path)
        KeelRandom.setSeed(seed)
        let context = ExperimentContext(experimentName: type.name, runDirectory: run, hyperparameters: hyperparameters,
                                        seed: seed, resumeFrom: resumeFrom, output: output)
        // A failed op check inside the experiment ends the process; the run records why first.
        OpCheck.onFailure = { [self] message in try? writeStatus(run, "crashed", detail: message) }
        // Each `fit` inside the run keeps a backup for `keel resume` (ExperimentContext.defaultBackup).
        FitDefaults.backup = context.defaultBackup
        defer { OpCheck.onFailure = nil; FitDefaults.backup = nil }
        do {
            try type.init().run(context)
        } catch {
            try? writeStatus(run, "failed", detail: "\(error)")
            throw error
        }
        try writeStatus(run, "finished")
        do { try context.discardResumeState() } catch { warn("\(error)") }
        return run
    }

    func writeStatus(_ run: RunDirectory, _ status: String, detail: String? = nil) throws {
        var object: JSONObject = ["status": .string(status)]
        if let detail { object["error"] = .string(detail) }
        try AtomicFile.write(Array((JSONValue.object(object).serialized() + "\n").utf8), to: run.status)
    }
}
