import Foundation

/// Runs an experiment the way `keel run` does: load plugins, resolve the experiment by name or
/// folder, merge hyper-parameters, make the run directory with its config, run, record status.
/// Everything that can be wrong with the request is checked before the run directory exists.
public struct ExperimentRunner {
    public var runsRoot: String
    public var output: (String) -> Void
    public var warn: (String) -> Void
    /// Record the job's size in config.json (`keel run --distributed`). Whether or not it is set,
    /// a job of several ranks (`Distributed.isActive`) runs as one: rank 0 writes the run
    /// directory and prints, the other ranks write into a scratch directory and stay quiet.
    public var distributed = false
    /// Write TensorBoard logs into the run's `tensorboard/` folder (`keel run --tensorboard`):
    /// every `fit` gets a TensorBoard callback and the run's hyper-parameters go to the HParams
    /// dashboard. Recorded in config.json, so `keel resume` keeps writing them.
    public var tensorBoard = false

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
    ///
    /// In a job of several ranks rank 0 reads the run and sends its config and resume state to
    /// the others (ResumeBundle), which continue from a copy in their scratch directories. A
    /// run of another number of ranks continues with a one-line note of what changes.
    @discardableResult
    public func resume(_ path: String) throws -> RunDirectory {
        let root = RunDirectory(path: path)
        guard Distributed.isActive else {
            let (config, status) = try resumable(root)
            return try resume(root, shownAs: path, config: config, started: status?.started)
        }
        let bundle = try ResumeBundle(bytes: RootDecision.share("resume of \(path)") {
            _ = try resumable(root)
            return try ResumeBundle.collect(root).bytes
        })
        var run = root
        if !Distributed.isRoot {
            run = try RankScratch.create()
            do { try bundle.unpack(into: run) } catch { RankScratch.remove(run); throw error }
        }
        do {
            return try resume(run, shownAs: path, config: String(decoding: bundle.file("config.json") ?? [], as: UTF8.self),
                              started: Distributed.isRoot ? RunStatus.read(root.status)?.started : nil)
        } catch {
            if !Distributed.isRoot { RankScratch.remove(run) }
            throw error
        }
    }

    /// Checks that the run in `run` may be resumed; returns its config.json and status.
    private func resumable(_ run: RunDirectory) throws -> (config: String, status: RunStatus?) {
        let path = run.path
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
        try ExperimentContext.requireResumePoint(run, experiment: try config.string("experiment"))
        return (text, status)
    }

    private func resume(_ run: RunDirectory, shownAs path: String, config text: String, started: String?) throws -> RunDirectory {
        let configPath = path + "/config.json"
        var configObject = try JSONValue.parse(text, source: configPath).objectValue ?? JSONObject()
        let config = ConfigReader(configObject, owner: configPath)
        let name = try config.string("experiment")
        let resolved: Resolved
        if let folder = try config.optionalString("plugin_folder") {
            resolved = try resolve(folder)
            guard resolved.type.name == name else {
                throw KeelError("plugin folder \(folder) recorded in \(configPath)", expected: "experiment '\(name)'",
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
                throw KeelError("\(configPath): hyper-parameter '\(key)'", expected: "a value like \(example)", found: text)
            }
        }
        try ExperimentRunner.checkRanges(hyperparameters, of: type, source: configPath)
        let seed = ExperimentRunner.generatorSeed(try config.int("seed"))
        let recordedRanks = config.has("distributed")
            ? try ConfigReader(try config.object("distributed"), owner: configPath).optionalInt("ranks") ?? 1 : 1
        var note: String?
        if recordedRanks != Distributed.size {
            note = ExperimentRunner.jobSizeChange(from: recordedRanks, to: Distributed.size, batchSize: hyperparameters["batch_size"])
            if Distributed.isRoot {
                // The next resume compares with the job that continues the run now.
                configObject["distributed"] = .object(["ranks": .int(Distributed.size), "earlier_ranks": .int(recordedRanks)])
                try AtomicFile.write(Array((JSONValue.object(configObject).serialized() + "\n").utf8), to: run.config)
            }
        }
        var runner = self
        runner.tensorBoard = try tensorBoard || config.bool("tensorboard", default: false)
        return try runner.execute(type, hyperparameters: hyperparameters, seed: seed, run: run, resumeFrom: run.path, shownAs: path,
                                  note: note, status: .runningHere(startedAt: started))
    }

    /// The line `keel resume` prints when a run continues on another number of ranks.
    static func jobSizeChange(from recorded: Int, to size: Int, batchSize: HyperValue?) -> String {
        func ranks(_ n: Int) -> String { n == 1 ? "1 process" : "\(n) ranks" }
        var batch = "the global batch becomes \(size)·B"
        if case .int(let b)? = batchSize { batch += " = \(size * b) (it was \(recorded * b))" }
        return "Resuming a run of \(ranks(recorded)) on \(ranks(size)): \(batch), and the data order of the remaining "
            + "epochs differs from an uninterrupted run's (each epoch still visits every sample once)."
    }

    /// The generator's seed for a seed as given (`--seed`) and stored in config.json: negative
    /// seeds map to their two's complement, so `--seed -5` is one fixed stream, the same on resume.
    public static func generatorSeed(_ seed: Int) -> UInt64 { UInt64(bitPattern: Int64(seed)) }

    /// Runs `experiment` in a new run directory (or `runDirectory` if given) and returns it.
    @discardableResult
    public func run(_ experiment: Resolved, hyperparameters: [String: HyperValue], seed: Int,
                    runDirectory requested: String? = nil) throws -> RunDirectory {
        let type = experiment.type
        // Rank 0 makes the run directory and tells the others its path (for their messages).
        let shared = try RootDecision.share("run directory") { () -> [UInt8] in
            let path: String
            if let requested {
                do {
                    try FileManager.default.createDirectory(atPath: requested, withIntermediateDirectories: true)
                } catch {
                    let cause = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
                    throw KeelError("--run-dir \(requested)", expected: "a directory that can be created",
                                    found: cause?.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(cause!.code))) : "\(error)")
                }
                path = requested
            } else {
                path = try RunDirectory.create(root: runsRoot, experiment: type.name).path
            }
            return Array(path.utf8)
        }
        let shownAs = String(decoding: shared, as: UTF8.self)
        guard Distributed.isRoot else {
            return try execute(type, hyperparameters: hyperparameters, seed: ExperimentRunner.generatorSeed(seed),
                               run: try RankScratch.create(), resumeFrom: nil, shownAs: shownAs, note: nil, status: .runningHere())
        }
        let run = RunDirectory(path: shownAs)
        var config = JSONObject()
        config["experiment"] = .string(type.name)
        if let folder = experiment.pluginFolder { config["plugin_folder"] = .string(folder) }
        config["seed"] = .int(seed)
        var hyper = JSONObject()
        for key in hyperparameters.keys.sorted() { hyper[key] = hyperparameters[key]!.json }
        config["hyperparameters"] = .object(hyper)
        config["keel_version"] = .string(KeelVersion.string)
        config["engine"] = .string(Engine.buildIdentity)
        if distributed || Distributed.isActive { config["distributed"] = .object(["ranks": .int(Distributed.size)]) }
        if tensorBoard { config["tensorboard"] = .bool(true) }
        try AtomicFile.write(Array((JSONValue.object(config).serialized() + "\n").utf8), to: run.config)
        return try execute(type, hyperparameters: hyperparameters, seed: ExperimentRunner.generatorSeed(seed), run: run,
                           resumeFrom: nil, shownAs: run.path, note: nil, status: .runningHere())
    }

    /// Runs the experiment in `run`: the run directory, or on ranks other than 0 their scratch
    /// directory (removed at the end), `shownAs` being rank 0's run directory.
    private func execute(_ type: Experiment.Type, hyperparameters: [String: HyperValue], seed: UInt64,
                         run: RunDirectory, resumeFrom: String?, shownAs: String, note: String?,
                         status running: RunStatus) throws -> RunDirectory {
        let isScratch = !Distributed.isRoot
        defer { if isScratch { RankScratch.remove(run) } }
        let output = isScratch ? { _ in } : self.output
        if Distributed.isActive { TerminationNotice.prepare(runDirectory: shownAs) }
        try running.write(to: run.status)
        output((resumeFrom == nil ? "Run directory: " : "Resuming run: ") + shownAs)
        if let note { output(note) }
        KeelRandom.setSeed(seed)
        // Only rank 0 writes TensorBoard logs, as it alone writes the run directory.
        let context = ExperimentContext(experimentName: type.name, runDirectory: run, hyperparameters: hyperparameters,
                                        seed: seed, resumeFrom: resumeFrom, tensorBoard: tensorBoard && !isScratch, output: output)
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
        FitDefaults.tensorBoard = context.defaultTensorBoard
        defer { OpCheck.onFailure = nil; FitDefaults.backup = nil; FitDefaults.tensorBoard = nil }
        do {
            try context.startTensorBoardSession()
            try type.init().run(context)
        } catch {
            try? record(.failed, "\(error)")
            try? context.finishTensorBoard(succeeded: false)
            throw error
        }
        try context.finishTensorBoard(succeeded: true)
        try record(.finished)
        do { try context.discardResumeState() } catch { warn("\(error)") }
        return run
    }
}
