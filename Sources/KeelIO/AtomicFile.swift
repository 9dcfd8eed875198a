#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Replaces files atomically: the new content is written to a temporary file in the target's
/// directory, flushed to disk and renamed over the target. A crash at any moment leaves either
/// the old file or the new one, never a partial one.
public enum AtomicFile {
    /// Calls `produce` with a temporary path next to `path`; whatever `produce` writes there
    /// replaces `path` once it returns. If it throws, the temporary file is removed and `path`
    /// is left as it was.
    public static func write(to path: String, _ produce: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard directoryExists(directory) else {
            throw KeelError("\(path)", expected: "an existing directory to write into",
                            found: "no directory \(directory)")
        }
        let temporary = directory + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try produce(temporary)
            try replace(path, with: temporary)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Makes the complete file `temporary` (in the same directory) replace `path`: flushes it to
    /// disk, renames it over `path`, and flushes the directory so the rename itself is durable.
    public static func replace(_ path: String, with temporary: String) throws {
        try flushToDisk(temporary)
        guard rename(temporary, path) == 0 else {
            throw KeelError("\(path)", expected: "to be replaced by the new file",
                            found: "rename failed: \(String(cString: strerror(errno)))")
        }
        try? flushToDisk(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { temporary in
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else {
                throw KeelError("\(path)", expected: "a writable location",
                                found: String(cString: strerror(errno)))
            }
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    Glibc.write(fd, raw.baseAddress! + offset, bytes.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw KeelError("\(path)", expected: "to be written",
                                    found: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    private static func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func flushToDisk(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw KeelError("\(path)", expected: "the file just written",
                            found: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw KeelError("\(path)", expected: "to be flushed to disk",
                            found: String(cString: strerror(errno)))
        }
    }
}
