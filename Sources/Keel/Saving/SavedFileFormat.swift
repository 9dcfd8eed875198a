import Foundation

/// Which of Keras's files a path is, for saving (by its extension, as Keras decides) and for
/// loading (by its content, so a renamed file still loads and a wrong one is named as such).
enum SavedFileFormat {
    case kerasArchive
    case legacyH5

    static func forSaving(_ path: String) throws -> SavedFileFormat {
        if path.hasSuffix(".weights.h5") {
            throw KeelError("model file \(path)", expected: "a .keras or .h5 name (weights-only files are written by saveWeights(to:))",
                            found: "a .weights.h5 name")
        }
        if path.hasSuffix(".keras") { return .kerasArchive }
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { return .legacyH5 }
        throw KeelError("model file \(path)", expected: "a name ending in .keras, .h5 or .hdf5",
                        found: "'\(URL(fileURLWithPath: path).lastPathComponent)'")
    }

    /// Whether to read `path` as a zip archive: it starts like one, or it is named `.keras`
    /// and does not start like an HDF5 file (so a damaged `.keras` is reported as an archive).
    static func isZipArchive(_ path: String) -> Bool {
        let head = leadingBytes(of: path, count: 8)
        if head.starts(with: [0x50, 0x4B]) { return true }
        return path.hasSuffix(".keras") && !head.starts(with: [0x89, 0x48, 0x44, 0x46])
    }

    /// Legacy HDF5 files carry `model_config` or `layer_names` at the root, or a
    /// `model_weights` group; Keras 3 weights files have `layers` and `vars` groups instead.
    static func isLegacyH5(_ file: HDF5File) throws -> Bool {
        let root = file.root
        return try root.hasAttribute("model_config") || root.hasAttribute("layer_names")
            || root.kind(of: "model_weights") == .group
    }

    /// Runs `body`, making sure every `KeelError` it throws names `path` (errors from model
    /// configs and registries name only the component).
    static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as KeelError where !error.message.contains(path) {
            throw KeelError("\(path): \(error.message)")
        }
    }

    /// Empty for anything but a readable regular file (a FIFO must not block the format sniffing;
    /// the reader then reports what the path is).
    private static func leadingBytes(of path: String, count: Int) -> [UInt8] {
        guard let descriptor = try? FileBytes.openRegularFile(path) else { return [] }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        defer { close(descriptor) }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }
}
