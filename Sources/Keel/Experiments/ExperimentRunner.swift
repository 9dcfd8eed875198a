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

    /// An experiment class and, when it came from a folder named on the command line, that folder
    /// (absolute, symlinks resolved) so `keel resume` can load it again from anywhere.
    public struct Resolved {
        public let type: Experiment.Type
        public let pluginFolder: String?
    }

    /// Loads every plugin (reporting the ones that fail) and returns the experiment `target`
    /// names, or the one a plugin folder at path `target` brings.
    public func resolve(_ target: String) throws -> Resolved {
        var isDirectory: ObjCBool = false
        let isFolder = target.contains("/") || (FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue)
        if isFolder {
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw KeelError("experiment folder \(target)", expected: "a directory of Swift sources", found: "no such directory")
            }
            let folder = URL(fileURLWithPath: target).standardizedFileURL.resolvingSymlinksInPath().path
            for failure in PluginHost.shared.loadAll() { warn(failure.reason) }
            // The folder may be among the search folders (Experiments/Minimize): then it is already
            // loaded and `load` returns what it registered then.
            let experimentPrefix = "experiment "
            let candidates = try PluginHost.shared.load(folder: folder)
                .filter { $0.hasPrefix(experimentPrefix) }.map { String($0.dropFirst(experimentPrefix.count)) }
            guard candidates.count == 1, let type = experimentType(candidates[0]) else {
                throw KeelError("plugin folder \(target)", expected: "exactly one experiment",
                                found: candidates.isEmpty ? "none" : candidates.joined(separator: ", "))
            }
            return Resolved(type: type, pluginFolder: folder)
        }
        for failure in PluginHost.shared.loadAll() { warn(failure.reason) }
        guard Registries.experiments.contains(target), let type = experimentType(target) else {
            throw Registries.experiments.unknown(target)
        }
        return Resolved(type: type, pluginFolder: nil)
    }

    private func experimentType(_ name: String) -> Experiment.Type? {
        (try? Registries.experiments.make(name)).map { type(of: $0) }
    }

    /// Defaults overridden by `--epochs`, `--batch-size` and `--set key=value`. Setting one key
    /// twice on the same command line (`--epochs 3 --set epochs=5`) is an error naming both.
    public static func hyperparameters(for type: Experiment.Type, epochs: Int?, batchSize: Int?,
                                       settings: [String]) throws -> [String: HyperValue] {
        var values = type.defaults
        var setBy: [String: String] = [:]
        func set(_ key: String, _ text: String, flag: String) throws {
            guard let example = values[key] else {
                throw KeelError("\(flag) for experiment '\(type.name)'",
                                expected: "one of its hyper-parameters: \(values.keys.sorted().joined(separator: ", "))",
                                found: "'\(key)'")
            }
            if let earlier = setBy[key] {
                throw KeelError("\(flag)", expected: "each hyper-parameter set once on the command line",
                                found: "'\(key)' also set by \(earlier)")
            }
            setBy[key] = flag
            values[key] = try HyperValue.parse(text, like: example, key: key)
        }
        if let epochs {
            guard epochs > 0 else { throw KeelError("--epochs", expected: "a positive integer", found: "\(epochs)") }
            try set("epochs", String(epochs), flag: "--epochs \(epochs)")
        }
        if let batchSize {
            guard batchSize > 0 else { throw KeelError("--batch-size", expected: "a positive integer", found: "\(batchSize)") }
            try set("batch_size", String(batchSize), flag: "--batch-size \(batchSize)")
        }
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw KeelError("--set \(setting)", expected: "key=value", found: "'\(setting)'")
            }
            try set(String(setting[..<eq]), String(setting[setting.index(after: eq)...]), flag: "--set \(setting)")
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

    /// Continues the run in `path` (`keel resume`): the same experiment (from the same plugin
    /// folder, if it came from one), hyper-parameters and seed, in the same directory, from its
    /// last snapshot. A finished run, or one whose process is still alive, is refused.
    @discardableResult
    public func resume(_ path: String) throws -> RunDirectory {
        let run = RunDirectory(path: path)
        guard let text = try? FileBytes.readText(run.config, what: "run config") else {
            throw KeelError("run directory \(path)", expected: "a config.json written by keel run", found: "none")
        }
        let config = ConfigReader(try JSONValue.parse(text, source: run.config).objectValue ?? JSONObject(),
                                  owner: run.config)
        let status = RunStatus.read(run.status)
        switch status?.observedState {
        case .finished?:
            throw KeelError("run directory \(path)", expected: "an interrupted run", found: "a finished run")
        case .running?:
            throw KeelError("run directory \(path)", expected: "a run that is no longer running",
                            found: "process \(status?.process?.pid ?? 0) is still running it")
        default:
            break
        }
        let name = try config.string("experiment")
        try ExperimentContext.requireResumePoint(run, experiment: name)
        let resolved: Resolved
        if let folder = try config.optionalString("plugin_folder") {
            resolved = try resolve(folder)
            guard resolved.type.name == name else {
                throw KeelError("plugin folder \(folder) recorded in \(run.config)", expected: "experiment '\(name)'",
                                found: "experiment '\(resolved.type.name)'")
            }
        } else {
            resolved = try resolve(name)
        }
        let type = resolved.type
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
        let seed = ExperimentRunner.generatorSeed(try config.int("seed"))
        return try execute(type, hyperparameters: hyperparameters, seed: seed, run: run, resumeFrom: path,
                           status: .runningHere(startedAt: status?.started))
    }

    /// The generator's seed for a seed as given (`--seed`) and stored in config.json: negative
    /// seeds map to their two's complement, so `--seed -5` is one fixed stream, the same on resume.
    public static func generatorSeed(_ seed: Int) -> UInt64 { UInt64(bitPattern: Int64(seed)) }

    /// Runs `experiment` in a new run directory (or `runDirectory` if given) and returns it.
    @discardableResult
    public func run(_ experiment: Resolved, hyperparameters: [String: HyperValue], seed: Int,
                    runDirectory requested: String? = nil) throws -> RunDirectory {
        let type = experiment.type
        let run: RunDirectory
        if let requested {
            try FileManager.default.createDirectory(atPath: requested, withIntermediateDirectories: true)
            run = RunDirectory(path: requested)
        } else {
            run = try RunDirectory.create(root: runsRoot, experiment: type.name)
        }
        var config = JSONObject()
        config["experiment"] = .string(type.name)
        if let folder = experiment.pluginFolder { config["plugin_folder"] = .string(folder) }
        config["seed"] = .int(seed)
        var hyper = JSONObject()
        for key in hyperparameters.keys.sorted() { hyper[key] = hyperparameters[key]!.json }
        config["hyperparameters"] = .object(hyper)
        config["keel_version"] = .string(KeelVersion.string)
        config["engine"] = .string(Engine.buildIdentity)
        try AtomicFile.write(Array((JSONValue.object(config).serialized() + "\n").utf8), to: run.config)
        return try execute(type, hyperparameters: hyperparameters, seed: ExperimentRunner.generatorSeed(seed), run: run,
                           resumeFrom: nil, status: .runningHere())
    }

    private func execute(_ type: Experiment.Type, hyperparameters: [String: HyperValue], seed: UInt64,
                         run: RunDirectory, resumeFrom: String?, status running: RunStatus) throws -> RunDirectory {
        try running.write(to: run.status)
        output((resumeFrom == nil ? "Run directory: " : "Resuming run: ") + run.path)
        KeelRandom.setSeed(seed)
        let context = ExperimentContext(experimentName: type.name, runDirectory: run, hyperparameters: hyperparameters,
                                        seed: seed, resumeFrom: resumeFrom, output: output)
        func record(_ state: RunStatus.State, _ detail: String? = nil) throws {
            var status = running
            status.state = state
            status.error = detail
            try status.write(to: run.status)
        }
        // A failed op check inside the experiment ends the process; the run records why first.
        OpCheck.onFailure = { message in try? record(.crashed, message) }
        // Each `fit` inside the run keeps a backup for `keel resume` (ExperimentContext.defaultBackup).
        FitDefaults.backup = context.defaultBackup
        defer { OpCheck.onFailure = nil; FitDefaults.backup = nil }
        do {
            try type.init().run(context)
        } catch {
            try? record(.failed, "\(error)")
            throw error
        }
        try record(.finished)
        do { try context.discardResumeState() } catch { warn("\(error)") }
        return run
    }
}
