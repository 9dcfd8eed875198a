import Foundation

/// The Keras 3 `.keras` file (keras-spec §2.2): a zip archive of `metadata.json`,
/// `config.json` (architecture and compile arguments) and `model.weights.h5` (weights and
/// optimizer state in the Keras 3 layout), members stored uncompressed as Keras writes them.
enum KerasArchive {
    static let configMember = "config.json"
    static let metadataMember = "metadata.json"
    static let weightsMember = "model.weights.h5"

    static func write(_ model: Model, to path: String) throws {
        let config = try KerasArchiveConfig.config(of: model).serialized()
        let weights = try ScratchFile.withPath(named: weightsMember) { scratch in
            try KerasWeightsFile.write(model, to: scratch)
            return try FileBytes.read(scratch, what: "weights written for \(path)")
        }
        try ZipArchive(members: [
            (metadataMember, Array(KerasArchiveConfig.metadata().serialized().utf8)),
            (configMember, Array(config.utf8)),
            (weightsMember, weights),
        ], source: path).write(to: path)
    }

    static func read(_ path: String, skipMismatch: Bool, purpose: Model.LoadPurpose = .training) throws -> Model {
        let archive = try ZipArchive.read(bytes: FileBytes.read(path, what: ".keras file"), name: path)
        let configText = String(decoding: try archive.contents(of: configMember), as: UTF8.self)
        let config = try JSONValue.parse(configText, source: "\(path) member '\(configMember)'")
        let model = try ModelConfig.model(from: config)
        // Keras writes an empty compile_config for a model never compiled.
        if let compileConfig = config.objectValue?["compile_config"]?.objectValue, !compileConfig.isEmpty {
            try TrainingConfig.compile(model, from: compileConfig, source: path, purpose: purpose)
        }
        try withWeightsFile(of: archive) { file in
            try KerasWeightsFile.read(file, into: model, skipMismatch: skipMismatch, source: path)
        }
        return model
    }

    /// Loads the weights (and, for a compiled model, the optimizer state) of a `.keras` file
    /// into an existing model.
    static func readWeights(_ path: String, into model: Model, skipMismatch: Bool) throws {
        let archive = try ZipArchive.read(bytes: FileBytes.read(path, what: ".keras file"), name: path)
        try withWeightsFile(of: archive) { file in
            try KerasWeightsFile.read(file, into: model, skipMismatch: skipMismatch, source: path)
        }
    }

    /// Opens the archive's weights member: HDF5 reads from files, so it is extracted to a
    /// scratch file first. Messages about it name the archive and the member.
    private static func withWeightsFile(of archive: ZipArchive, _ body: (HDF5File) throws -> Void) throws {
        let bytes = try archive.contents(of: weightsMember)
        try ScratchFile.withPath(named: weightsMember) { scratch in
            guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes)) else {
                throw KeelError(scratch, expected: "a writable scratch file", found: "it could not be created")
            }
            do {
                let file = try HDF5File(scratch)
                defer { try? file.close() }
                try body(file)
            } catch let error as KeelError {
                throw KeelError(error.message.replacingOccurrences(
                    of: scratch, with: "\(archive.source) member '\(weightsMember)'"))
            }
        }
    }
}
