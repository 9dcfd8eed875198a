import Foundation

/// Saving and loading models in the files Keras reads and writes (keras-spec §1, §2):
///
///     try model.save(to: "model.h5")              // legacy HDF5 full model
///     try model.save(to: "model.keras")           // Keras 3 archive
///     try model.saveWeights(to: "model.weights.h5")
///     let restored = try Model.load(from: "model.h5")   // compiled, optimizer state included
///     try rebuilt.loadWeights(from: "model.weights.h5")
///
/// Every write replaces its file atomically. Loading is strict: a missing, extra or
/// wrong-shape weight throws a `KeelError` naming the layer, the weight and both shapes,
/// unless `skipMismatch` is set (then those weights keep their values and a warning says so).
extension Model {
    /// Saves the architecture, weights, compile arguments and optimizer state: a Keras 3
    /// archive for `.keras`, Keras's legacy HDF5 format for `.h5` / `.hdf5`.
    public func save(to path: String) throws {
        switch try SavedFileFormat.forSaving(path) {
        case .kerasArchive: try KerasArchive.write(self, to: path)
        case .legacyH5: try LegacyH5ModelFile.write(self, to: path)
        }
    }

    /// Saves the weights (and, once the optimizer has been built, its state) to a
    /// `.weights.h5` file in the Keras 3 layout.
    public func saveWeights(to path: String) throws {
        guard path.hasSuffix(".weights.h5") else {
            throw KeelError("weights file \(path)", expected: "a name ending in .weights.h5 (as Keras requires)",
                            found: "'\(URL(fileURLWithPath: path).lastPathComponent)'")
        }
        try KerasWeightsFile.write(self, to: path)
    }

    /// What a loaded model is for. Training (the default) needs the file's compile arguments;
    /// inference does not, so a file whose optimizer, loss or metric cannot be rebuilt (a class
    /// no registry knows) still loads for it, uncompiled, with one warning naming the class.
    public enum LoadPurpose: Sendable { case training, inference }

    /// Loads a model saved by Keel or Keras: a `.keras` archive, a legacy `.h5` full model
    /// (Keras 3 or tf.keras 2.x). A file with compile arguments gives a compiled model whose
    /// optimizer continues where it stopped.
    public static func load(from path: String, skipMismatch: Bool = false, for purpose: LoadPurpose = .training) throws -> Model {
        try SavedFileFormat.naming(path) {
            if SavedFileFormat.isZipArchive(path) { return try KerasArchive.read(path, skipMismatch: skipMismatch, purpose: purpose) }
            let file = try HDF5File(path)
            defer { try? file.close() }
            return try LegacyH5ModelFile.read(file, skipMismatch: skipMismatch, purpose: purpose)
        }
    }

    /// Loads weights into this model from a `.weights.h5` file, a `.keras` archive or a legacy
    /// `.h5` file (full model or weights only). Layers are matched as Keras matches them: by
    /// class and position for the Keras 3 formats, by position among the layers with weights
    /// for legacy files.
    public func loadWeights(from path: String, skipMismatch: Bool = false) throws {
        try SavedFileFormat.naming(path) {
            if SavedFileFormat.isZipArchive(path) {
                return try KerasArchive.readWeights(path, into: self, skipMismatch: skipMismatch)
            }
            let file = try HDF5File(path)
            defer { try? file.close() }
            if try SavedFileFormat.isLegacyH5(file) {
                try LegacyH5ModelFile.readWeights(file, into: self, skipMismatch: skipMismatch)
            } else {
                try KerasWeightsFile.read(file, into: self, skipMismatch: skipMismatch, source: path)
            }
        }
    }
}
