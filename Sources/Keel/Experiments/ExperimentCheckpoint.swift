import Foundation

/// Where a hand-written training loop continues from: the next epoch and step, and the values
/// the loop carries across epochs (a trajectory, a running total), by name.
public struct LoopPosition {
    public var epoch: Int
    public var step: Int
    public var values: [String: [Double]]

    public init(epoch: Int, step: Int = 0, values: [String: [Double]] = [:]) {
        self.epoch = epoch
        self.step = step
        self.values = values
    }

    /// The carried value `name`, or an error naming the checkpoint when it was not saved.
    public func value(_ name: String) throws -> [Double] {
        guard let value = values[name] else {
            throw KeelError("loop value '\(name)' of the checkpoint", expected: "one of \(values.keys.sorted())", found: "none")
        }
        return value
    }
}

/// `context.checkpoint`: save and restore for experiments with their own training loop, so that
/// `keel resume` continues them exactly. One HDF5 file, `checkpoints/resume.h5`, holds the tracked
/// models' weights, the optimizers' state (iteration count, learning rate, slots), the engine's
/// random generator, the loop position and the content of tracked files (a CSV log). It is
/// completed under a temporary name and renamed, so a crash while saving keeps the last one.
///
///     let checkpoint = context.checkpoint
///     checkpoint.track(model)                               // weights, and its compiled optimizer
///     checkpoint.track(optimizer, of: model.trainableWeights, as: "sgd")
///     checkpoint.track(file: run.log)
///     for epoch in try checkpoint.remainingEpochs(of: epochs) {   // restores, then the epochs left
///         ...
///         try checkpoint.save(LoopPosition(epoch: epoch + 1))
///     }
public final class ExperimentCheckpoint {
    public let path: String
    private var models: [(name: String, model: Model)] = []
    private var optimizers: [(name: String, optimizer: Optimizer, variables: [Variable])] = []
    private var files: [String] = []
    private let onFirstUse: () throws -> Void
    /// True once the experiment restored: it checkpoints itself, so its `fit`s get no default backup.
    public private(set) var isInUse = false

    init(path: String, onFirstUse: @escaping () throws -> Void) {
        self.path = path
        self.onFirstUse = onFirstUse
    }

    /// Saves and restores `model`'s weights (every one, moving statistics included) and the
    /// optimizer it was compiled with, if any. `name` defaults to the model's name.
    public func track(_ model: Model, as name: String? = nil) {
        models.append((name ?? model.name, model))
        if let optimizer = model.optimizer { track(optimizer, of: model.trainableWeights, as: (name ?? model.name) + "_optimizer") }
    }

    /// Saves and restores `optimizer`'s state for training `variables`.
    public func track(_ optimizer: Optimizer, of variables: [Variable], as name: String) {
        optimizers.append((name, optimizer, variables))
    }

    /// Saves the content of the file at `path` and puts it back on restore, so a log holds exactly
    /// the rows written up to the checkpoint, even if the interrupted run wrote more.
    public func track(file path: String) { files.append(path) }

    /// Restores everything tracked from the last checkpoint and returns where to continue; nil on
    /// a fresh run (then nothing is changed). Call it after tracking and before the loop. A
    /// damaged or mismatched checkpoint is an error and leaves the models untouched.
    public func restore() throws -> LoopPosition? {
        if !isInUse {
            try onFirstUse()
            isInUse = true
        }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            try checkNames()
            let file = try HDF5File(path)
            defer { try? file.close() }
            let root = file.root
            let state = ConfigReader(try root.readState(), owner: "\(path) loop state")
            var position = LoopPosition(epoch: try state.int("epoch"), step: try state.int("step"))
            guard position.epoch >= 0, position.step >= 0 else {
                throw KeelError("\(path) loop state", expected: "a non-negative epoch and step",
                                found: "epoch \(position.epoch), step \(position.step)")
            }
            let random = try RandomState(snapshot: state)
            if try root.contains("values") {
                for name in try root.group("values").childNames() {
                    position.values[name] = try root.dataset("values/\(name)").readValues(as: Double.self)
                }
            }
            // Everything is read and checked before anything is assigned.
            var assignments: [(Variable, Tensor)] = []
            for (name, model) in models {
                assignments += try read("models/\(name)", into: model.weights, in: root)
            }
            for (name, optimizer, variables) in optimizers {
                optimizer.buildIfNeeded(for: variables)
                assignments += try read("optimizers/\(name)", into: optimizer.variables, in: root)
            }
            let contents = try files.indices.map { index -> String in
                let saved = ConfigReader(try root.group("files/\(index)").readState(), owner: "\(path) file \(index)")
                return try saved.string("content")
            }
            for (variable, value) in assignments { variable.assign(value) }
            for (file, content) in zip(files, contents) { try AtomicFile.write(Array(content.utf8), to: file) }
            KeelRandom.generator.state = random
            return position
        } catch {
            throw KeelError("checkpoint \(path)", expected: "a checkpoint of this experiment to resume from", found: "\(error)")
        }
    }

    /// Restores (as `restore`) and returns the epochs of `0..<epochs` still to run.
    public func remainingEpochs(of epochs: Int) throws -> Range<Int> {
        let first = try restore()?.epoch ?? 0
        guard first <= epochs else {
            throw KeelError("checkpoint \(path)", expected: "a position within the run's \(epochs) epochs", found: "epoch \(first)")
        }
        return first..<max(epochs, first)
    }

    /// Writes the checkpoint for continuing at `position`, replacing the previous one only once
    /// the new one is complete.
    public func save(_ position: LoopPosition) throws {
        do {
            try checkNames()
            if let bad = position.values.keys.first(where: { $0.isEmpty || $0.contains("/") || $0 == "." }) {
                throw KeelError("loop value name '\(bad)'", expected: "a name without '/'", found: "'\(bad)'")
            }
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            try HDF5File.write(to: path) { file in
                let root = file.root
                var state: JSONObject = ["epoch": .int(position.epoch), "step": .int(position.step)]
                for (key, value) in KeelRandom.generator.state.snapshotFields { state[key] = value }
                try root.writeState(state)
                for (name, values) in position.values.sorted(by: { $0.key < $1.key }) {
                    _ = try root.createDataset("values/\(name)", data: ArrayData(values, shape: [values.count]))
                }
                for (name, model) in models { try write(model.weights, to: "models/\(name)", in: root) }
                for (name, optimizer, variables) in optimizers {
                    optimizer.buildIfNeeded(for: variables)
                    try write(optimizer.variables, to: "optimizers/\(name)", in: root)
                }
                for (index, file) in files.enumerated() {
                    let content = FileManager.default.fileExists(atPath: file) ? try FileBytes.read(file, what: "tracked file") : []
                    let group = try root.createGroup("files/\(index)")
                    try group.writeState(["path": .string(file), "content": .string(String(decoding: content, as: UTF8.self))])
                }
            }
        } catch {
            throw KeelError("checkpoint \(path) not written (the previous one is kept): \(error)")
        }
    }

    /// A callback for a `fit` that saves the checkpoint after each epoch, to continue at the next
    /// (pass the restored epoch as `fit`'s `initialEpoch`). Put it after the other callbacks.
    public func savingEachEpoch() -> Callback { EpochEndSave(checkpoint: self) }

    private final class EpochEndSave: Callback {
        private(set) var checkpoint: ExperimentCheckpoint?

        convenience init(checkpoint: ExperimentCheckpoint) {
            self.init()
            self.checkpoint = checkpoint
        }

        override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
            try checkpoint?.save(LoopPosition(epoch: epoch + 1))
        }
    }

    private func write(_ variables: [Variable], to name: String, in root: HDF5Group) throws {
        let group = try root.createGroup(name)
        for (index, variable) in variables.enumerated() {
            _ = try group.createDataset(String(index), data: variable.value.arrayData)
        }
    }

    private func read(_ name: String, into variables: [Variable], in root: HDF5Group) throws -> [(Variable, Tensor)] {
        let group = try root.group(name)
        let count = try group.childNames().count
        guard count == variables.count else {
            throw KeelError("\(path) [\(name)]", expected: "\(variables.count) arrays", found: "\(count)")
        }
        return try variables.enumerated().map { index, variable in
            let type: ElementType = variable.value.dtype == .float32 ? .float32 : .int32
            return (variable, Tensor(try group.dataset(String(index)).read(as: type, shape: variable.shape)))
        }
    }

    /// Names become HDF5 group names: each must be one non-empty path component, used once.
    private func checkNames() throws {
        for (kind, names) in [("model", models.map(\.name)), ("optimizer", optimizers.map(\.name))] {
            if let bad = names.first(where: { $0.isEmpty || $0.contains("/") || $0 == "." }) {
                throw KeelError("checkpoint \(kind) name '\(bad)'", expected: "a name without '/'", found: "'\(bad)'")
            }
            if Set(names).count != names.count {
                throw KeelError("checkpoint \(kind) names \(names)", expected: "each name once (give `as:` names)", found: "a repeated name")
            }
        }
    }
}
