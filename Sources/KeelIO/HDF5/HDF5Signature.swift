#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The 8-byte signature every HDF5 file carries, checked before HDF5 sees the file so that
/// "not an HDF5 file" reads as such instead of as a library error stack.
enum HDF5Signature {
    static let bytes: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Throws unless `path` is a readable regular file with the signature at offset 0 or at
    /// 512, 1024, 2048... (files with a user block, which the spec allows).
    static func check(_ path: String) throws {
        let location = HDF5Location(filePath: path, objectPath: "/")
        // Opened only once known to be a regular file: opening a FIFO would block until a writer came.
        let descriptor = try FileBytes.openRegularFile(path, what: "HDF5 file")
        defer { Glibc.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw location.error(expected: "a readable HDF5 file", found: String(cString: strerror(errno)))
        }
        let size = Int(status.st_size)
        guard size > 0 else { throw location.error(expected: "an HDF5 file", found: "an empty file (0 bytes)") }
        guard size >= bytes.count else {
            throw location.error(expected: "an HDF5 file", found: "a file of \(size) bytes, too short to be one")
        }
        var offset = 0
        var head: [UInt8] = []
        while offset + bytes.count <= size {
            let found = read(descriptor, at: offset)
            if offset == 0 { head = found }
            if found == bytes { return }
            offset = offset == 0 ? 512 : offset * 2
        }
        let shown = head.map { String(format: "%02X", $0) }.joined(separator: " ")
        throw location.error(expected: "an HDF5 file (signature 89 48 44 46 0D 0A 1A 0A)",
                             found: "a file of \(size) bytes starting with \(shown)")
    }

    private static func read(_ descriptor: Int32, at offset: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: bytes.count)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, bytes.count, off_t(offset)) }
        return count == bytes.count ? buffer : []
    }
}
