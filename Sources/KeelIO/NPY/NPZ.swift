import Foundation

/// NumPy's `.npz` format: a zip archive with one `.npy` member per array, named
/// `<key>.npy`, stored (`np.savez`) or deflated (`np.savez_compressed`).
public enum NPZ {
    public typealias Compression = ZipArchive.Compression

    public static func read(_ path: String) throws -> NPZArchive {
        try read(bytes: FileBytes.read(path, what: ".npz file"), name: path)
    }

    public static func read(bytes: [UInt8], name: String) throws -> NPZArchive {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "a zip archive of .npy files", found: "an empty file")
        }
        var result = NPZArchive()
        for (member, contents) in try ZipArchive.read(bytes: bytes, name: name).members {
            guard member.hasSuffix(".npy"), member.count > 4 else {
                throw KeelError(name, expected: "members named <key>.npy", found: "member '\(member)'")
            }
            let memberName = "\(name) member '\(member)'"
            result[String(member.dropLast(4))] = try NPY.read(bytes: contents, name: memberName)
        }
        return result
    }

    public static func write(_ archive: NPZArchive, to path: String, compression: Compression = .stored) throws {
        try AtomicFile.write(encode(archive, compression: compression), to: path)
    }

    public static func encode(_ archive: NPZArchive, compression: Compression = .stored) throws -> [UInt8] {
        try ZipArchive(members: archive.members.map { ($0.0 + ".npy", NPY.encode($0.1)) }, source: "in-memory .npz")
            .encoded(compression: compression)
    }
}
