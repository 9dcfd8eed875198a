import Foundation

/// Every reader of Keel, each through the commands that reach it, over the corpus.
enum FuzzTargets {
    static func all(_ corpus: FuzzCorpus) -> [FuzzTarget] {
        let files = FileManager.default
        func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
        func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        func inputArguments(_ inputs: [String]) -> [String] { inputs.flatMap { ["--input", $0] } }

        // Mutations per format.
        func hdf5(_ data: [UInt8], _ random: inout FuzzRandom) -> ([UInt8], String) {
            let critical = random.chance(0.35) ? HDF5Map.critical(data) : []
            guard !critical.isEmpty else { return FuzzBinary.mutate(data, fields: HDF5Map.fields(data), &random) }
            var out = data
            let field = random.pick(critical)
            let value = random.chance(0.4) ? UInt64.max : random.pick(FuzzExtremes.unsigned)
            FuzzBinary.write(value, width: field.width, at: field.offset, into: &out)
            return (out, "HDF5 \(field.what) (\(field.width) bytes at \(field.offset)) set to 0x\(String(field.width == 8 ? value : value & ((1 << UInt64(8 * field.width)) - 1), radix: 16))")
        }
        func archive(_ data: [UInt8], _ random: inout FuzzRandom) -> ([UInt8], String) {
            switch random.weighted([4, 2, 3, 2]) {
            case 0:
                return FuzzBinary.mutate(data, fields: ZipMap.fields(data), &random)
            case 1: // a ZIP64 value (size, offset) set to an extreme, in the archive as it is or re-encoded as ZIP64
                var out = data
                if ZipMap.zip64Values(out).isEmpty, let zip = FuzzZip(data) { out = zip.encoded(zip64: true) }
                let values = ZipMap.zip64Values(out)
                guard !values.isEmpty else { return FuzzBinary.mutate(data, fields: ZipMap.fields(data), &random) }
                let at = random.pick(values), value = random.pick(FuzzExtremes.unsigned)
                FuzzBinary.write(value, width: 8, at: at, into: &out)
                return (out, "ZIP64 value at \(at) set to \(value)")
            default: // an entry's content mutated, the archive re-encoded around it
                guard var zip = FuzzZip(data), !zip.entries.isEmpty else { return FuzzBinary.mutate(data, fields: [], &random) }
                let jsonEntries = zip.entries.indices.filter { zip.entries[$0].name.hasSuffix(".json") }
                let wantsJSON = random.chance(0.6) && !jsonEntries.isEmpty
                let at = wantsJSON ? random.pick(jsonEntries) : random.below(zip.entries.count)
                let entry = zip.entries[at]
                let (content, what) = entry.name.hasSuffix(".json")
                    ? FuzzJSONEdits.mutate(String(decoding: entry.data, as: UTF8.self), &random)
                    : hdf5(entry.data, &random)
                zip.entries[at].data = content
                let zip64 = random.chance(0.3)
                return (zip.encoded(zip64: zip64), "entry \(entry.name): \(what)\(zip64 ? " (archive re-encoded as ZIP64)" : "")")
            }
        }

        let models = corpus.models, archives = corpus.archives
        var targets: [FuzzTarget] = []
        for (reader, seeds, ext, mutate) in [("h5-model", models, "h5", hdf5), ("keras-zip", archives, "keras", archive)] {
            for command in ["summary", "predict"] {
                targets.append(FuzzTarget(reader: reader, command: command, weight: reader == "h5-model" ? 12 : 11,
                                          seeds: seeds.map(\.name)) { index, random, directory in
                    let seed = seeds[index]
                    let attributes = ext == "h5" ? corpus.configAttributes(of: index) : []
                    if !attributes.isEmpty, random.chance(0.2) { // the model's JSON, edited and written back by h5py
                        let attribute = random.pick(attributes)
                        let (text, what) = FuzzJSONEdits.mutate(try String(contentsOfFile: attribute.path, encoding: .utf8), &random)
                        try write(try bytes(seed.path), "\(directory)/model.h5") // a writable copy: fixtures are read-only
                        try FuzzCorpus.setAttribute(attribute.name, of: "\(directory)/model.h5", to: text,
                                                    scratch: "\(directory)/\(attribute.name).json")
                        let arguments = command == "summary" ? ["summary", "model.h5"]
                            : ["predict", "model.h5"] + inputArguments(seed.inputs) + ["--output", "y.npy"]
                        return (arguments, "attribute \(attribute.name): \(what)")
                    }
                    let (data, what) = mutate(try bytes(seed.path), &random)
                    try write(data, "\(directory)/model.\(ext)")
                    let arguments = command == "summary" ? ["summary", "model.\(ext)"]
                        : ["predict", "model.\(ext)"] + inputArguments(seed.inputs) + ["--output", "y.npy"]
                    return (arguments, what)
                })
            }
        }

        // .npy inputs of every model: one of its inputs mutated.
        let predictable = models
        targets.append(FuzzTarget(reader: "npy", command: "predict", weight: 12, seeds: predictable.map(\.name)) { index, random, directory in
            let seed = predictable[index]
            var inputs = seed.inputs
            let which = random.below(inputs.count)
            let (data, what) = FuzzNPY.mutate(try bytes(inputs[which]), &random)
            inputs[which] = "x.npy"
            try write(data, "\(directory)/x.npy")
            try write(try bytes(seed.path), "\(directory)/model.h5") // so that a kept input is complete
            return (["predict", "model.h5"] + inputArguments(inputs) + ["--output", "y.npy"],
                    "input \(which) (\((seed.inputs[which] as NSString).lastPathComponent)): \(what)")
        })

        // CSV logs: `keel plot` of the file, `keel runs` of a run holding it.
        let logs = corpus.logs
        targets.append(FuzzTarget(reader: "csv-log", command: "plot", weight: 10,
                                  seeds: logs.map { ($0 as NSString).lastPathComponent }) { index, random, directory in
            let (data, what) = FuzzCSV.mutate(try bytes(logs[index]), &random)
            try write(data, "\(directory)/log.csv")
            return (["plot", "./log.csv", "--output", "./log.png"], what)
        })

        // The run directory: each of its files mutated in a copy of the interrupted run.
        func runCopy(_ directory: String) throws -> String {
            let copy = "\(directory)/runs/fashion-mlp/run"
            try files.createDirectory(atPath: "\(directory)/runs/fashion-mlp", withIntermediateDirectories: true)
            try files.copyItem(atPath: corpus.run, toPath: copy)
            return copy
        }
        let jsonFiles: [(reader: String, file: String)] = [("run-config", "config.json"), ("run-status", "status.json"),
                                                            ("backup-metadata", "checkpoints/backup/training_metadata.json")]
        for (reader, file) in jsonFiles {
            for command in reader == "backup-metadata" ? ["resume"] : ["resume", "runs"] {
                let weight = command == "resume" ? (reader == "run-config" ? 5 : 3) : 2
                let seeds = reader == "backup-metadata" ? ["keel snapshot", "snapshot without keel state"] : ["keel run"]
                targets.append(FuzzTarget(reader: reader, command: command, weight: weight, seeds: seeds) { index, random, directory in
                    let run = try runCopy(directory)
                    if index == 1 {
                        try files.removeItem(atPath: run + "/checkpoints/backup/latest.weights.h5")
                        try files.copyItem(atPath: corpus.stateFreeWeights, toPath: run + "/checkpoints/backup/latest.weights.h5")
                    }
                    let original = try String(contentsOfFile: "\(run)/\(file)", encoding: .utf8)
                    let (data, what) = FuzzJSONEdits.mutate(original, &random, allow: { path, value in
                        reader != "run-config" || command != "resume" || FuzzTargets.keepsRunShort(path, value, in: original)
                    })
                    try write(data, "\(run)/\(file)")
                    return (command == "resume" ? ["resume", "runs/fashion-mlp/run"] : ["runs", "runs"], what)
                })
            }
        }

        // The snapshot's weights (Keel's, with its training state; Keras's, of another model).
        let weightSeeds = [corpus.keelWeights, corpus.stateFreeWeights, corpus.kerasWeights]
        targets.append(FuzzTarget(reader: "weights-h5", command: "resume", weight: 6,
                                  seeds: ["keel snapshot", "snapshot without keel state", "keras mlp .weights.h5"]) { index, random, directory in
            let run = try runCopy(directory)
            let (data, what) = hdf5(try bytes(weightSeeds[index]), &random)
            try write(data, run + "/checkpoints/backup/latest.weights.h5")
            return (["resume", "runs/fashion-mlp/run"], what)
        })

        // `keel runs` over a run whose log is mutated.
        targets.append(FuzzTarget(reader: "csv-log", command: "runs", weight: 3, seeds: ["keel run log.csv"]) { _, random, directory in
            let run = try runCopy(directory)
            let (data, what) = FuzzCSV.mutate(try bytes(run + "/log.csv"), &random)
            try write(data, run + "/log.csv")
            return (["runs", "runs"], what)
        })
        return targets
    }

    /// A run config may ask for more work only where that must be refused quickly: a
    /// hyper-parameter raised to a valid but larger count (epochs=2^62) is a long run, not a hang;
    /// `units` stays in, since a layer too large to allocate must be an error.
    static func keepsRunShort(_ path: [FuzzJSON.PathStep], _ value: FuzzJSON?, in original: String) -> Bool {
        guard path.count >= 2, case .key("hyperparameters") = path[0], case .key(let key) = path[1] else {
            if path.isEmpty || path.count == 1 && { if case .key("hyperparameters") = path[0] { return true }; return false }() {
                return false // replacing the whole config or all hyper-parameters at once: covered by single edits
            }
            return true
        }
        guard path.count == 2, let value else { return true }
        let old = FuzzJSON.parse(original)?[path]
        guard case .number(let oldText)? = old, let oldNumber = Double(oldText) else { return true }
        let newNumber: Double?
        switch value {
        case .number(let text): newNumber = Double(text)
        case .string(let text): newNumber = Double(text)
        default: newNumber = nil
        }
        guard let newNumber, newNumber.isFinite, newNumber > oldNumber, newNumber < 9.3e18 else { return true }
        return key == "units" && newNumber >= 2_147_483_648
    }
}
