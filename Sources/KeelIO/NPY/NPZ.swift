import Foundation
internal import ZIPFoundation

/// NumPy's `.npz` format: a zip archive with one `.npy` member per array, named
/// `<key>.npy`, stored (`np.savez`) or deflated (`np.savez_compressed`).
public enum NPZ {
    public enum Compression: Sendable {
        case stored, deflated
    }

    /// Reads every array of the `.npz` file at `path`.
    public static func read(_ path: String) throws -> NPZArchive {
        try read(bytes: FileBytes.read(path, what: ".npz file"), name: path)
    }

    /// Decodes the bytes of an `.npz` file; `name` identifies them in errors.
    public static func read(bytes: [UInt8], name: String) throws -> NPZArchive {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "a zip archive of .npy files", found: "an empty file")
        }
        let localHeaderMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04], emptyArchiveMagic: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard bytes.starts(with: localHeaderMagic) || bytes.starts(with: emptyArchiveMagic) else {
            throw KeelError(name, expected: "zip magic PK\\x03\\x04",
                            found: "bytes \(Gzip.hexPrefix(bytes)) (not an .npz file)")
        }
        guard let listedCount = ZipDirectory.entryCount(in: bytes) else {
            throw KeelError(name, expected: "a zip end-of-central-directory record",
                            found: "none (the file is truncated or not a zip archive)")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw KeelError(name, expected: "a readable zip archive", found: "\(error)")
        }
        var result = NPZArchive()
        var entryCount = 0
        for entry in archive {
            entryCount += 1
            guard entry.type == .file else { continue }
            let member = entry.path
            guard member.hasSuffix(".npy"), member.count > 4 else {
                throw KeelError(name, expected: "members named <key>.npy", found: "member '\(member)'")
            }
            let key = String(member.dropLast(4))
            guard result[key] == nil else {
                throw KeelError(name, expected: "one member per key", found: "'\(member)' twice")
            }
            let memberName = "\(name) member '\(member)'"
            result[key] = try NPY.read(bytes: extract(entry, from: archive, name: memberName), name: memberName)
        }
        if let listedCount, entryCount != listedCount {
            throw KeelError(name, expected: "\(listedCount) members listed in the zip directory",
                            found: "\(entryCount) readable members (the directory is damaged)")
        }
        return result
    }

    /// Writes `archive` to `path` as an `.npz` file, atomically.
    public static func write(_ archive: NPZArchive, to path: String, compression: Compression = .stored) throws {
        try AtomicFile.write(encode(archive, compression: compression), to: path)
    }

    /// The bytes of an `.npz` file holding `archive`'s arrays in order, as `numpy.load` reads them.
    public static func encode(_ archive: NPZArchive, compression: Compression = .stored) throws -> [UInt8] {
        let zip: Archive
        do {
            zip = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw KeelError("in-memory .npz", expected: "a new zip archive", found: "\(error)")
        }
        for (name, array) in archive.members {
            let npy = Data(NPY.encode(array))
            do {
                try zip.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(npy.count),
                                 compressionMethod: compression == .deflated ? .deflate : .none,
                                 bufferSize: 1 << 20) { position, size in
                    npy.subdata(in: Int(position)..<(Int(position) + size))
                }
            } catch {
                throw KeelError(".npz member '\(name).npy'", expected: "to be added to the archive", found: "\(error)")
            }
        }
        guard let data = zip.data else {
            throw KeelError("in-memory .npz", expected: "the archive's bytes", found: "none")
        }
        return [UInt8](data)
    }

    private static func extract(_ entry: Entry, from archive: Archive, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 30)))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 20) { chunk in bytes += chunk }
        } catch {
            throw KeelError(name, expected: "a readable zip member", found: "\(error)")
        }
        guard checksum == entry.checksum else {
            throw KeelError(name, expected: "CRC-32 \(entry.checksum) from the zip directory",
                            found: "CRC-32 \(checksum) (the member is corrupt)")
        }
        guard bytes.count == entry.uncompressedSize else {
            throw KeelError(name, expected: "\(entry.uncompressedSize) bytes", found: "\(bytes.count) bytes (truncated)")
        }
        return bytes
    }
}

/// The zip end-of-central-directory record, read directly: ZIPFoundation's entry iterator stops
/// quietly at a damaged directory entry, so the count it yields is checked against this one.
private enum ZipDirectory {
    /// nil when there is no record; `.some(nil)` when the count is in a ZIP64 record instead.
    static func entryCount(in bytes: [UInt8]) -> Int?? {
        let recordSize = 22, signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard bytes.count >= recordSize else { return nil }
        let earliest = max(0, bytes.count - recordSize - Int(UInt16.max))
        for start in stride(from: bytes.count - recordSize, through: earliest, by: -1)
        where bytes[start..<(start + 4)].elementsEqual(signature) {
            let count = Int(bytes[start + 10]) | Int(bytes[start + 11]) << 8
            return count == Int(UInt16.max) ? .some(nil) : .some(count)
        }
        return nil
    }
}
