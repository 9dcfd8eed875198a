#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads whole files for the format readers, with the file named in every error. Only regular
/// files are read: opening a FIFO for reading blocks until a writer comes, and a device or a
/// directory is never a model, array or log.
public enum FileBytes {
    public static func read(_ path: String, what: String = "file") throws -> [UInt8] {
        let descriptor = try openRegularFile(path, what: what)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw KeelError("\(path)", expected: "a readable \(what)", found: String(cString: strerror(errno)))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(status.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            guard count > 0 else {
                if errno == EINTR { continue }
                throw KeelError("\(path)", expected: "a readable \(what)", found: "I/O error: \(String(cString: strerror(errno)))")
            }
            bytes += chunk[..<count]
        }
    }

    /// A whole text file (UTF-8), read as `read` does; bytes that are not UTF-8 are an error.
    public static func readText(_ path: String, what: String = "file") throws -> String {
        let bytes = try read(path, what: what)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KeelError("\(path)", expected: "a \(what) in UTF-8", found: "bytes that are not UTF-8")
        }
        return text
    }

    /// Throws unless `path` names an existing regular file (symbolic links followed); says what
    /// it is otherwise. Nothing is opened, so a FIFO cannot block the caller.
    public static func requireRegularFile(_ path: String, what: String = "file") throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = errno
            throw KeelError("\(path)", expected: "an existing \(what)",
                            found: reason == ENOENT ? "no such file" : String(cString: strerror(reason)))
        }
        try requireRegular(status, path: path, what: what)
    }

    /// Opens `path` for reading once it is known to be a regular file, without ever blocking:
    /// the check is repeated on the open descriptor, in case the path was replaced meanwhile.
    /// The caller closes the descriptor.
    public static func openRegularFile(_ path: String, what: String = "file") throws -> Int32 {
        try requireRegularFile(path, what: what)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = errno
            throw KeelError("\(path)", expected: "a readable \(what)",
                            found: reason == EACCES ? "permission denied" : String(cString: strerror(reason)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw KeelError("\(path)", expected: "a readable \(what)", found: String(cString: strerror(errno)))
        }
        do {
            try requireRegular(status, path: path, what: what)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    private static func requireRegular(_ status: stat, path: String, what: String) throws {
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        let found: String
        switch kind {
        case S_IFDIR: found = "a directory"
        case S_IFIFO: found = "a FIFO (named pipe), which Keel does not read"
        case S_IFCHR: found = "a character device"
        case S_IFBLK: found = "a block device"
        case S_IFSOCK: found = "a socket"
        default: found = "something that is not a regular file"
        }
        throw KeelError("\(path)", expected: "a regular \(what)", found: found)
    }
}
