internal import CHDF5

/// An HDF5 file (Keras .h5 checkpoints, .weights.h5). Open one to read or edit it; create
/// one with `write(to:_:)`, which replaces the destination atomically.
///
///     let file = try HDF5File("model.h5")
///     let config = try file.root.attributeString("model_config")
///     let kernel = try file.root.dataset("model_weights/dense/dense/kernel").readFloats()
///
///     try HDF5File.write(to: "model.h5") { file in
///         try file.root.setAttribute("backend", "jax")
///         try file.root.createDataset("model_weights/dense/dense/kernel", data: kernel)
///     }
public final class HDF5File {
    public enum AccessMode: Sendable {
        case readOnly
        case readWrite
    }

    public let mode: AccessMode
    /// The root group "/": the file's attributes, groups and datasets hang off it.
    public let root: HDF5Group
    private let core: HDF5FileCore

    /// The file as the caller named it.
    public var path: String { core.location.filePath }
    public var isOpen: Bool { core.isOpen }

    private init(core: HDF5FileCore, mode: AccessMode) throws {
        self.core = core
        self.mode = mode
        self.root = try core.withFileID { fileID in
            try HDF5Scoped.adopt(H5Gopen2(fileID, "/", keel_h5p_default()),
                                 orThrow: core.location.libraryError(expected: "a readable root group")) {
                HDF5Group(openID: $0, in: core, location: core.location)
            }
        }
    }

    /// Opens an existing HDF5 file. Throws a `KeelError` naming the file when it is missing,
    /// empty, not HDF5, truncated or damaged.
    public convenience init(_ path: String, mode: AccessMode = .readOnly) throws {
        try HDF5Signature.check(path)
        // libhdf5 follows the file's addresses and sizes without checking them; walk them first.
        try HDF5StructureCheck.check(path)
        let location = HDF5Location(filePath: path, objectPath: "/")
        let core = try HDF5Library.locked {
            try HDF5File.withFileAccessList(at: location) { fapl in
                let flags = mode == .readOnly ? keel_h5f_acc_rdonly() : keel_h5f_acc_rdwr()
                return try HDF5Scoped.adopt(H5Fopen(path, flags, fapl),
                                            orThrow: location.libraryError(expected: "a readable HDF5 file")) {
                    try HDF5FileCore(fileID: $0, displayPath: path, diskPath: path)
                }
            }
        }
        try self.init(core: core, mode: mode)
    }

    /// Writes a new HDF5 file at `path`: `build` fills it (at a temporary path next to
    /// `path`), then it is closed and renamed over `path`. If `build` or the close throws,
    /// `path` is left as it was and the temporary file is removed.
    public static func write(to path: String, _ build: (HDF5File) throws -> Void) throws {
        try AtomicFile.write(to: path) { temporary in
            let file = try HDF5File(creatingAt: temporary, displayPath: path)
            do {
                try build(file)
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
        }
    }

    /// Creates (or truncates) a file. Groups and attributes in it track creation order, and
    /// it uses the HDF5 1.8 format, which every HDF5 since 2008 reads and which stores large
    /// attributes (a big model's `model_config`) that the 1.6 format cannot.
    private convenience init(creatingAt path: String, displayPath: String) throws {
        let location = HDF5Location(filePath: displayPath, objectPath: "/")
        let core = try HDF5Library.locked {
            try HDF5CreationOrder.withPropertyList(keel_h5p_file_create(), tracksLinks: true, at: location) { fcpl in
                try HDF5File.withFileAccessList(at: location) { fapl in
                    guard H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0 else {
                        throw location.libraryError(expected: "the HDF5 1.8 file format")
                    }
                    return try HDF5Scoped.adopt(H5Fcreate(path, keel_h5f_acc_trunc(), fcpl, fapl),
                                                orThrow: location.libraryError(expected: "a new HDF5 file at \(path)")) {
                        try HDF5FileCore(fileID: $0, displayPath: displayPath, diskPath: path)
                    }
                }
            }
        }
        try self.init(core: core, mode: .readWrite)
    }

    private static func withFileAccessList<T>(at location: HDF5Location, _ body: (hid_t) throws -> T) throws -> T {
        try HDF5Scoped.with(H5Pcreate(keel_h5p_file_access()), close: H5Pclose,
                            orThrow: location.libraryError(expected: "a file access property list")) { fapl in
            // Lock files where the file system can; where it cannot (some network and
            // container file systems), open anyway rather than fail.
            guard H5Pset_file_locking(fapl, true, true) >= 0 else {
                throw location.libraryError(expected: "a file-locking setting")
            }
            return try body(fapl)
        }
    }

    /// Writes HDF5's caches out to the file (only meaningful for a writable file).
    public func flush() throws {
        try core.withFileID { fileID in
            guard H5Fflush(fileID, H5F_SCOPE_GLOBAL) >= 0 else {
                throw core.location.libraryError(expected: "the file to be flushed")
            }
        }
    }

    /// Closes the file and every group and dataset still open in it; they throw if used
    /// afterwards. Closing twice does nothing.
    public func close() throws {
        try core.close()
    }

    /// Whether `path` starts with the HDF5 signature (at offset 0 or a user-block offset).
    public static func hasSignature(_ path: String) -> Bool {
        (try? HDF5Signature.check(path)) != nil
    }
}
