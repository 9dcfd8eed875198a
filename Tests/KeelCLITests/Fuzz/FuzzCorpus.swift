import Foundation
import KeelTestSupport

/// The files the campaign mutates, made at test time: the Keras-written fixtures (legacy `.h5`,
/// `.keras`, `.weights.h5`, `.npy`, CSVLogger logs) plus what the built `keel` writes itself —
/// models saved by `keel fit`, and the run directory of a `keel run` killed mid-training
/// (config.json, status.json, log.csv, the BackupAndRestore snapshot) — and ZIP64 re-encodings
/// of every `.keras`.
struct FuzzCorpus {
    /// A model and the arrays it predicts on.
    struct ModelSeed {
        let name: String
        let path: String
        let inputs: [String]
    }

    let directory: String
    let keel: String
    var models: [ModelSeed] = []        // legacy .h5
    var archives: [ModelSeed] = []      // .keras, classic and ZIP64
    var logs: [String] = []             // CSV logs
    var run = ""                        // an interrupted fashion-mlp run directory
    var keelWeights = "", kerasWeights = "", stateFreeWeights = ""

    enum CorpusError: Error, CustomStringConvertible {
        case step(String)
        var description: String { switch self { case .step(let s): return s } }
    }

    init(keel: String, directory: String) throws {
        self.keel = keel
        self.directory = directory
        let fixtures = ProjectPaths.sharedFixtures.path
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)

        // Keras-written.
        for (name, dir, inputs) in [("keras-mlp", "h5/mlp", ["x.npy"]), ("keras-cnn", "h5/cnn", ["x.npy"]),
                                    ("keras-dcgan-generator", "h5/dcgan_generator", ["x.npy"]),
                                    ("keras-ticket", "h5/ticket", ["x_title.npy", "x_text_body.npy", "x_tags.npy"])] {
            models.append(ModelSeed(name: name, path: "\(fixtures)/\(dir)/model.h5", inputs: inputs.map { "\(fixtures)/\(dir)/\($0)" }))
        }
        models.append(ModelSeed(name: "keras-mlp-trained", path: "\(fixtures)/h5/mlp_trajectory/after_epoch.h5",
                                inputs: ["\(fixtures)/h5/mlp_trajectory/x.npy"]))
        for name in ["sequential", "functional"] {
            models.append(ModelSeed(name: "tfkeras2-\(name)", path: "\(fixtures)/tfkeras2/\(name).h5",
                                    inputs: ["\(fixtures)/tfkeras2/\(name)_x.npy"]))
        }
        archives.append(ModelSeed(name: "keras-mlp", path: "\(fixtures)/h5/mlp/model.keras", inputs: ["\(fixtures)/h5/mlp/x.npy"]))
        // A sequence model Keras writes now: nested layers (Bidirectional's LSTM cells, attention's
        // projections), a recorded NotEqual mask node and its `mask` kwarg.
        try makeKerasSequenceModel()
        let sequenceInputs = ["\(directory)/keras-sequence_x.npy"]
        models.append(ModelSeed(name: "keras-sequence", path: "\(directory)/keras-sequence.h5", inputs: sequenceInputs))
        archives.append(ModelSeed(name: "keras-sequence", path: "\(directory)/keras-sequence.keras", inputs: sequenceInputs))
        kerasWeights = "\(fixtures)/h5/mlp/model.weights.h5"
        logs = ["append_second_fit", "fit_with_validation", "fit_without_validation"].map { "\(fixtures)/csvlogger/\($0).csv" }

        // Keel-written: models saved by `keel fit` (Sequential and a two-input, two-output Functional).
        let sequential = "\(fixtures)/tfkeras2/sequential"
        try keelRun(["predict", sequential + ".h5", "--input", sequential + "_x.npy", "--output", "\(directory)/sequential_y.npy"])
        let ticket = "\(fixtures)/h5/ticket"
        for ext in ["h5", "keras"] {
            try keelRun(["fit", sequential + ".h5", "--x", sequential + "_x.npy", "--y", "\(directory)/sequential_y.npy",
                         "--output", "\(directory)/keel-sequential.\(ext)"])
            try keelRun(["fit", "\(ticket)/model.h5", "--x", "\(ticket)/x_title.npy", "--x", "\(ticket)/x_text_body.npy",
                         "--x", "\(ticket)/x_tags.npy", "--y", "\(ticket)/pred_priority.npy", "--y", "\(ticket)/pred_department.npy",
                         "--output", "\(directory)/keel-ticket.\(ext)"])
        }
        let ticketInputs = ["x_title.npy", "x_text_body.npy", "x_tags.npy"].map { "\(ticket)/\($0)" }
        models.append(ModelSeed(name: "keel-sequential", path: "\(directory)/keel-sequential.h5", inputs: [sequential + "_x.npy"]))
        models.append(ModelSeed(name: "keel-ticket", path: "\(directory)/keel-ticket.h5", inputs: ticketInputs))
        archives.append(ModelSeed(name: "keel-sequential", path: "\(directory)/keel-sequential.keras", inputs: [sequential + "_x.npy"]))
        archives.append(ModelSeed(name: "keel-ticket", path: "\(directory)/keel-ticket.keras", inputs: ticketInputs))

        // ZIP64 re-encodings of every archive (same entries, ZIP64 sizes, offsets and end records).
        for archive in archives {
            guard let zip = FuzzZip(Array(try Data(contentsOf: URL(fileURLWithPath: archive.path)))) else {
                throw CorpusError.step("\(archive.path) is not a stored zip archive")
            }
            let path = "\(directory)/\(archive.name)-zip64.keras"
            try Data(zip.encoded(zip64: true)).write(to: URL(fileURLWithPath: path))
            archives.append(ModelSeed(name: archive.name + "-zip64", path: path, inputs: archive.inputs))
        }

        try makeInterruptedRun()
        models.append(ModelSeed(name: "keel-fashion-checkpoint", path: "\(directory)/keel-fashion-checkpoint.h5",
                                inputs: ["\(fixtures)/h5/mlp/x.npy"]))
        logs.append(run + "/log.csv")
        try extractConfigAttributes()
    }

    private func makeKerasSequenceModel() throws {
        let result = try runPython("""
            import os, sys
            os.environ["KERAS_BACKEND"] = "jax"
            os.environ.setdefault("JAX_PLATFORMS", "cpu")
            import numpy as np
            import keras
            from keras import layers
            keras.utils.set_random_seed(5)
            ids = keras.Input((6,), dtype="int32")
            h = layers.Embedding(10, 4, mask_zero=True)(ids)
            h = layers.Bidirectional(layers.LSTM(3, return_sequences=True))(h)
            h = layers.LayerNormalization()(layers.Add()([h, layers.MultiHeadAttention(2, 3)(h, h)]))
            h = layers.GRU(2)(h)
            model = keras.Model(ids, layers.Dense(2)(h))
            folder = sys.argv[1]
            model.save(os.path.join(folder, "keras-sequence.h5"))
            model.save(os.path.join(folder, "keras-sequence.keras"))
            np.save(os.path.join(folder, "keras-sequence_x.npy"), np.array([[1, 5, 0, 0, 0, 0], [3, 9, 2, 7, 4, 1]], dtype="int32"))
            """, arguments: [directory])
        guard result.status == 0 else { throw CorpusError.step("Keras could not write the sequence model: \(result.stderr.suffix(2000))") }
    }

    /// The JSON attributes of every legacy model (model_config, training_config), as
    /// `<model>.<attribute>.json` next to the corpus, for JSON edits written back by h5py.
    private func extractConfigAttributes() throws {
        let result = try runPython("""
            import sys, h5py
            out = sys.argv[1]
            for i, path in enumerate(sys.argv[2:]):
                with h5py.File(path, 'r') as f:
                    for name in ('model_config', 'training_config'):
                        if name in f.attrs:
                            value = f.attrs[name]
                            with open(f'{out}/attr-{i}.{name}.json', 'wb') as o:
                                o.write(value if isinstance(value, bytes) else str(value).encode('utf-8'))
            """, arguments: [directory] + models.map(\.path))
        guard result.status == 0 else { throw CorpusError.step("h5py could not read the model attributes: \(result.stderr)") }
    }

    /// The saved JSON attributes of model `index` (name, path of its text).
    func configAttributes(of index: Int) -> [(name: String, path: String)] {
        ["model_config", "training_config"].map { ($0, "\(directory)/attr-\(index).\($0).json") }
            .filter { FileManager.default.fileExists(atPath: $0.1) }
    }

    /// Writes `text` as attribute `name` of the HDF5 file at `path` (h5py; bytes that are not
    /// UTF-8 are stored as a fixed-length byte string, as tf.keras 2 did).
    static func setAttribute(_ name: String, of path: String, to text: [UInt8], scratch: String) throws {
        try Data(text).write(to: URL(fileURLWithPath: scratch))
        let result = try runPython("""
            import sys, h5py, numpy as np
            data = open(sys.argv[3], 'rb').read()
            try:
                value = data.decode('utf-8')
            except UnicodeDecodeError:
                value = np.bytes_(data)
            with h5py.File(sys.argv[1], 'r+') as f:
                f.attrs[sys.argv[2]] = value
            """, arguments: [path, name, scratch])
        guard result.status == 0 else { throw CorpusError.step("h5py could not set \(name) of \(path): \(result.stderr.suffix(300))") }
    }

    /// `keel run fashion-mlp` (tiny) killed once its snapshot exists; its config then asks for one
    /// epoch more than the snapshot holds, so `keel resume` has real but short work to do.
    private mutating func makeInterruptedRun() throws {
        run = "\(directory)/run"
        let arguments = ["run", "fashion-mlp", "--epochs", "100000", "--set", "train_samples=64", "--set", "validation_samples=32",
                         "--set", "units=4", "--set", "patience=100000", "--run-dir", run]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: keel)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let metadata = run + "/checkpoints/backup/training_metadata.json"
        let deadline = Date().addingTimeInterval(900) // the first run may compile every plugin
        while process.isRunning, Date() < deadline, !FileManager.default.fileExists(atPath: run + "/checkpoints/epoch_02.h5") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        guard let text = try? String(contentsOfFile: metadata, encoding: .utf8),
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let epoch = object["epoch"] as? Int else {
            throw CorpusError.step("keel \(arguments.joined(separator: " ")) left no snapshot in \(run)")
        }
        let files = FileManager.default
        try files.copyItem(atPath: run + "/checkpoints/epoch_01.h5", toPath: "\(directory)/keel-fashion-checkpoint.h5")
        for file in try files.contentsOfDirectory(atPath: run + "/checkpoints") where file.hasPrefix("epoch_") {
            try files.removeItem(atPath: "\(run)/checkpoints/\(file)")
        }
        // One more epoch to train on resume.
        let configPath = run + "/config.json"
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        guard let document = FuzzJSON.parse(config) else { throw CorpusError.step("\(configPath) is not JSON") }
        try document.replacing([.key("hyperparameters"), .key("epochs")], with: .number(String(epoch + 1))).text
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        keelWeights = run + "/checkpoints/backup/latest.weights.h5"
        // The same snapshot as Keras writes it: weights only, the position in training_metadata.json.
        stateFreeWeights = "\(directory)/state-free.weights.h5"
        let python = try runPython("""
            import sys, shutil, h5py
            shutil.copy(sys.argv[1], sys.argv[2])
            with h5py.File(sys.argv[2], 'r+') as f:
                if 'keel_training_state' in f: del f['keel_training_state']
            """, arguments: [keelWeights, stateFreeWeights])
        guard python.status == 0 else { throw CorpusError.step("h5py could not copy the snapshot: \(python.stderr)") }
    }

    private func keelRun(_ arguments: [String]) throws {
        let result = try runProcess(URL(fileURLWithPath: keel), arguments, currentDirectory: URL(fileURLWithPath: directory))
        guard result.status == 0 else {
            throw CorpusError.step("keel \(arguments.joined(separator: " ")) failed:\n\(result.stdout)\n\(result.stderr)")
        }
    }
}
