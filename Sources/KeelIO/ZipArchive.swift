import Foundation
#if canImport(Glibc)
import Glibc
#endif
internal import ZIPFoundation

/// A zip archive held in memory as named members in order (what .npz and .keras files are),
/// read and written through ZIPFoundation with every member's CRC and size checked.
public struct ZipArchive: Sendable {
    public enum Compression: Sendable {
        case stored, deflated
    }

    /// Names every error: the file the archive came from.
    public let source: String
    public var members: [(name: String, bytes: [UInt8])]

    public init(members: [(name: String, bytes: [UInt8])] = [], source: String = "zip archive") {
        self.members = members
        self.source = source
    }

    public var memberNames: [String] { members.map(\.name) }

    /// The bytes of member `name`; a missing member is an error naming the archive.
    public func contents(of name: String) throws -> [UInt8] {
        guard let member = members.first(where: { $0.name == name }) else {
            throw KeelError(source, expected: "a member '\(name)'", found: "members \(memberNames.joined(separator: ", "))")
        }
        return member.bytes
    }

    public static func read(_ path: String) throws -> ZipArchive {
        try read(bytes: FileBytes.read(path, what: "zip archive"), name: path)
    }

    /// Every file member, in archive order. Damage anywhere (magic, directory, CRC, size) throws.
    public static func read(bytes: [UInt8], name: String) throws -> ZipArchive {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "a zip archive", found: "an empty file")
        }
        let localHeaderMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04], emptyArchiveMagic: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard bytes.starts(with: localHeaderMagic) || bytes.starts(with: emptyArchiveMagic) else {
            throw KeelError(name, expected: "zip magic PK\\x03\\x04", found: "bytes \(Gzip.hexPrefix(bytes)) (not a zip archive)")
        }
        guard let listedCount = ZipDirectory.entryCount(in: bytes) else {
            throw KeelError(name, expected: "a zip end-of-central-directory record",
                            found: "none (the file is truncated or not a zip archive)")
        }
        // Read through a file, not ZIPFoundation's in-memory reader: that one traps on offsets
        // past the end of a damaged archive, where file reads fail with an error.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("keel-zip-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).zip")
        guard FileManager.default.createFile(atPath: scratch.path, contents: Data(bytes)) else {
            throw KeelError(name, expected: "a scratch copy for reading", found: "\(scratch.path) could not be written")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive: Archive
        do {
            archive = try Archive(url: scratch, accessMode: .read)
        } catch {
            throw KeelError(name, expected: "a readable zip archive", found: "\(error)")
        }
        var result = ZipArchive(source: name)
        var entryCount = 0
        for entry in archive {
            entryCount += 1
            guard entry.type == .file else { continue }
            guard !result.memberNames.contains(entry.path) else {
                throw KeelError(name, expected: "one member per name", found: "'\(entry.path)' twice")
            }
            result.members.append((entry.path, try extract(entry, from: archive, name: "\(name) member '\(entry.path)'")))
        }
        if let listedCount, entryCount != listedCount {
            throw KeelError(name, expected: "\(listedCount) members listed in the zip directory",
                            found: "\(entryCount) readable members (the directory is damaged)")
        }
        return result
    }

    public func write(to path: String, compression: Compression = .stored) throws {
        try AtomicFile.write(encoded(compression: compression), to: path)
    }

    public func encoded(compression: Compression = .stored) throws -> [UInt8] {
        let zip: Archive
        do {
            zip = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw KeelError("in-memory zip for \(source)", expected: "a new zip archive", found: "\(error)")
        }
        for (name, bytes) in members {
            let data = Data(bytes)
            do {
                try zip.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compression == .deflated ? .deflate : .none,
                                 bufferSize: 1 << 20) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            } catch {
                throw KeelError("\(source) member '\(name)'", expected: "to be added to the archive", found: "\(error)")
            }
        }
        guard let data = zip.data else {
            throw KeelError("in-memory zip for \(source)", expected: "the archive's bytes", found: "none")
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
