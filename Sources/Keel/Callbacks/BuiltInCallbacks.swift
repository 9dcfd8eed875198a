extension Registries {
    /// Callbacks by Keras class name, built from the keyword arguments of their Keras
    /// constructor (`{"monitor": "val_loss", "patience": 2}`). Callbacks whose arguments are
    /// functions (LambdaCallback, a LearningRateScheduler's schedule function, GANMonitor) are
    /// made in code; from a config a LearningRateScheduler takes a schedule object instead.
    public static let callbacks: Registry<Callback> = {
        let registry = Registry<Callback>(kind: "callback")
        do {
            try BuiltInCallbacks.register(registry)
        } catch {
            preconditionFailure("Keel's built-in callbacks could not be registered: \(error)")
        }
        return registry
    }()
}

/// Registers Keel's built-in callbacks under their Keras class names.
enum BuiltInCallbacks {
    static func register(_ registry: Registry<Callback>) throws {
        let factories: [(String, (ConfigReader) throws -> Callback)] = [
            ("EarlyStopping", earlyStopping),
            ("ReduceLROnPlateau", reduceLROnPlateau),
            ("ModelCheckpoint", modelCheckpoint),
            ("BackupAndRestore", backupAndRestore),
            ("CSVLogger", csvLogger),
            ("LearningRateScheduler", learningRateScheduler),
            ("TerminateOnNaN", terminateOnNaN),
            ("LambdaCallback", lambdaCallback),
            ("History", { try fields($0, []); return History() }),
            ("ProgbarLogger", { try fields($0, []); return ProgbarLogger() }),
            ("LossHistory", lossHistory),
        ]
        for (className, make) in factories {
            try registry.register(className) { try make(ConfigReader($0, owner: className)) }
        }
    }

    /// Keras constructors reject keyword arguments they do not take; so does Keel, naming the
    /// closest known one.
    private static func fields(_ reader: ConfigReader, _ known: [String]) throws {
        try ConfigFieldCheck.rejectUnknown(reader, known: known)
    }

    private static func earlyStopping(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["monitor", "min_delta", "patience", "verbose", "mode", "baseline", "restore_best_weights",
                       "start_from_epoch"])
        return EarlyStopping(monitor: try r.string("monitor", default: "val_loss"), minDelta: try r.double("min_delta", default: 0),
                             patience: try r.int("patience", default: 0), verbose: try r.int("verbose", default: 0),
                             mode: try MonitorMode(config: r), baseline: try r.optionalDouble("baseline"),
                             restoreBestWeights: try r.bool("restore_best_weights", default: false),
                             startFromEpoch: try r.int("start_from_epoch", default: 0))
    }

    private static func reduceLROnPlateau(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["monitor", "factor", "patience", "verbose", "mode", "min_delta", "cooldown", "min_lr"])
        return try ReduceLROnPlateau(monitor: try r.string("monitor", default: "val_loss"), factor: try r.double("factor", default: 0.1),
                                     patience: try r.int("patience", default: 10), verbose: try r.int("verbose", default: 0),
                                     mode: try MonitorMode(config: r), minDelta: try r.double("min_delta", default: 1e-4),
                                     cooldown: try r.int("cooldown", default: 0), minLearningRate: try r.double("min_lr", default: 0))
    }

    private static func modelCheckpoint(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["filepath", "monitor", "verbose", "save_best_only", "save_weights_only", "mode", "save_freq",
                       "initial_value_threshold"])
        return try ModelCheckpoint(filepath: try r.string("filepath"), monitor: try r.string("monitor", default: "val_loss"),
                                   verbose: try r.int("verbose", default: 0), saveBestOnly: try r.bool("save_best_only", default: false),
                                   saveWeightsOnly: try r.bool("save_weights_only", default: false), mode: try MonitorMode(config: r),
                                   saveFrequency: try SaveFrequency(config: r),
                                   initialValueThreshold: try r.optionalDouble("initial_value_threshold"))
    }

    private static func backupAndRestore(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["backup_dir", "save_freq", "double_checkpoint", "delete_checkpoint"])
        return try BackupAndRestore(backupDirectory: try r.string("backup_dir"), saveFrequency: try SaveFrequency(config: r),
                                    doubleCheckpoint: try r.bool("double_checkpoint", default: false),
                                    deleteCheckpoint: try r.bool("delete_checkpoint", default: true))
    }

    private static func csvLogger(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["filename", "separator", "append"])
        let separator = try r.string("separator", default: ",")
        guard separator.count == 1, let character = separator.first else {
            throw KeelError("CSVLogger: field 'separator'", expected: "one character (Python's csv module takes no longer one)",
                            found: "'\(separator)'")
        }
        return try CSVLogger(filename: try r.string("filename"), separator: character, append: try r.bool("append", default: false))
    }

    private static func learningRateScheduler(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["schedule", "verbose"])
        guard let schedule = r.value("schedule"), schedule.objectValue != nil else {
            throw KeelError("LearningRateScheduler: field 'schedule'",
                            expected: "a learning-rate schedule config ({\"class_name\", \"config\"}), evaluated at the epoch index (a function can only be given in code)",
                            found: r.value("schedule")?.summary ?? "no such field")
        }
        return LearningRateScheduler(schedule: try Registries.schedules.make(from: schedule), verbose: try r.int("verbose", default: 0))
    }

    private static func terminateOnNaN(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["raise_error"])
        return TerminateOnNaN(raiseError: try r.bool("raise_error", default: false))
    }

    private static func lambdaCallback(_ r: ConfigReader) throws -> Callback {
        if let key = r.object.keys.first {
            throw KeelError("LambdaCallback: field '\(key)'", expected: "no fields (its hooks are closures, given in code)",
                            found: r.object[key]?.summary ?? "a value")
        }
        return LambdaCallback()
    }

    private static func lossHistory(_ r: ConfigReader) throws -> Callback {
        try fields(r, ["directory", "metrics", "frequency"])
        let metrics = try r.value("metrics").map { value -> [String] in
            guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
                throw KeelError("LossHistory: field 'metrics'", expected: "a list of logs keys", found: value.summary)
            }
            return names
        } ?? ["loss", "accuracy"]
        let frequencyName = try r.choice("frequency", ["epoch", "train_end"], default: "epoch")
        return LossHistory(directory: try r.string("directory"), metrics: metrics,
                           frequency: LossHistory.PlotFrequency(rawValue: frequencyName)!)
    }
}
