internal import CHDF5
import Foundation

/// The one gate to libhdf5. The serial build keeps global state (id tables, the error stack,
/// caches) without locks, so every call from any thread goes through `locked`. The lock is
/// recursive because public operations are built from other locked operations.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs once, under the lock. HDF5 would otherwise print its error stack to stderr on every
    /// failure (Keel turns failures into `KeelError`s instead), and Keel's checked reader of
    /// variable-length strings (see `HDF5GlobalHeap`) must be in place before any read.
    private static let initialized: Bool = {
        H5open()
        keel_h5_silence_errors()
        HDF5GlobalHeap.registerConversion()
        return true
    }()

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = initialized
        return try body()
    }

    /// What the last failed HDF5 call left on the error stack: the innermost cause (which says
    /// what is wrong with the file, e.g. "truncated file: eof = ...") then the outermost
    /// (which says what could not be done).
    static func lastErrorDescription() -> String {
        final class Collector { var messages: [String] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        withExtendedLifetime(collector) {
            _ = H5Ewalk2(keel_h5e_default(), H5E_WALK_DOWNWARD, { _, error, context in
                guard let error, let context else { return 0 }
                let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                if let description = error.pointee.desc {
                    let text = String(cString: description)
                    if !text.isEmpty { collector.messages.append(text) }
                }
                return 0
            }, context)
        }
        H5Eclear2(keel_h5e_default())
        guard let outermost = collector.messages.first, let innermost = collector.messages.last else {
            return "an HDF5 error without a description"
        }
        return innermost == outermost ? "HDF5 error: \(innermost)" : "HDF5 error: \(innermost) (\(outermost))"
    }
}

/// Where something lives, for error messages: the file as the user named it and the object
/// path inside it.
struct HDF5Location {
    let filePath: String
    let objectPath: String

    var subject: String { objectPath == "/" ? filePath : "\(filePath) [\(objectPath)]" }

    func error(expected: String, found: String) -> KeelError {
        KeelError(subject, expected: expected, found: found)
    }

    /// An error for a failed HDF5 call; `found` is what HDF5 reported.
    func libraryError(expected: String) -> KeelError {
        KeelError(subject, expected: expected, found: HDF5Library.lastErrorDescription())
    }

    func child(_ relativePath: String) -> HDF5Location {
        HDF5Location(filePath: filePath, objectPath: HDF5Path.join(objectPath, relativePath))
    }
}

/// Object paths inside a file ("/model_weights/dense/dense/kernel:0").
enum HDF5Path {
    /// The non-empty components of `path`; "a//b/" and "a/b" name the same object.
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return "/" + components(relative).joined(separator: "/") }
        let parts = components(base) + components(relative)
        return "/" + parts.joined(separator: "/")
    }

    /// Checks a path or name given by a caller before it reaches HDF5.
    static func validate(_ path: String, what: String, at location: HDF5Location) throws {
        guard !components(path).isEmpty || path == "/" else {
            throw location.error(expected: "a non-empty \(what)", found: "\"\(path)\"")
        }
        guard !path.utf8.contains(0) else {
            throw location.error(expected: "a \(what) without NUL characters", found: "\"\(path)\"")
        }
    }
}

/// Closes a temporary HDF5 id when a scope ends, however it ends.
enum HDF5Scoped {
    /// Creates an id with `make`, checks it, and hands it to `body`; the id is closed with
    /// `close` afterwards, exactly once, whether `body` returns or throws.
    static func with<T>(_ make: @autoclosure () -> hid_t, close: (hid_t) -> herr_t,
                        orThrow failure: @autoclosure () -> KeelError,
                        _ body: (hid_t) throws -> T) throws -> T {
        let id = make()
        guard id >= 0 else { throw failure() }
        defer { _ = close(id) }
        return try body(id)
    }
}

extension HDF5Scoped {
    /// Checks a new id and hands it to `makeOwner`, which must take ownership of it (wrap it in
    /// an object that closes it) before anything can throw.
    static func adopt<T>(_ id: hid_t, orThrow failure: @autoclosure () -> KeelError,
                         _ makeOwner: (hid_t) throws -> T) throws -> T {
        guard id >= 0 else { throw failure() }
        return try makeOwner(id)
    }
}
