import Foundation
#if canImport(Glibc)
import Glibc
#endif
internal import ZIPFoundation
internal import CKeelZlib

/// A zip archive held in memory as named members in order (what .npz and .keras files are),
/// read by ZipDirectory and zlib with every member's offsets, sizes and CRC checked against the
/// archive, written through ZIPFoundation.
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

    /// Every file member, in archive order. Damage anywhere (magic, directory, sizes, offsets,
    /// CRC) throws; nothing is read past the archive's end and no scratch file is made.
    public static func read(bytes: [UInt8], name: String) throws -> ZipArchive {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "a zip archive", found: "an empty file")
        }
        let localHeaderMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04], emptyArchiveMagic: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard bytes.starts(with: localHeaderMagic) || bytes.starts(with: emptyArchiveMagic) else {
            throw KeelError(name, expected: "zip magic PK\\x03\\x04", found: "bytes \(Gzip.hexPrefix(bytes)) (not a zip archive)")
        }
        var result = ZipArchive(source: name)
        var seen = Set<String>()
        for entry in try ZipDirectory(bytes, name: name).entries where !entry.isDirectory {
            guard seen.insert(entry.name).inserted else {
                throw KeelError(name, expected: "one member per name", found: "'\(entry.name)' twice")
            }
            result.members.append((entry.name, try extract(entry, from: bytes, name: "\(name) member '\(entry.name)'")))
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

    private static func extract(_ entry: ZipDirectory.Entry, from archive: [UInt8], name: String) throws -> [UInt8] {
        let bytes = entry.method == 0 ? Array(archive[entry.dataRange])
            : try inflate(archive[entry.dataRange], limit: entry.uncompressedSize, name: name)
        guard bytes.count == entry.uncompressedSize else {
            throw KeelError(name, expected: "\(entry.uncompressedSize) bytes", found: "\(bytes.count) bytes (truncated)")
        }
        let checksum = bytes.withUnsafeBytes { CRC32.checksum($0) }
        guard checksum == entry.crc32 else {
            throw KeelError(name, expected: "CRC-32 \(entry.crc32) from the zip directory",
                            found: "CRC-32 \(checksum) (the member is corrupt)")
        }
        return bytes
    }

    /// A raw deflate stream, decompressed chunk by chunk so that what the directory announces is
    /// never allocated up front; more than `limit` bytes of output is an error.
    private static func inflate(_ input: ArraySlice<UInt8>, limit: Int, name: String) throws -> [UInt8] {
        var stream = z_stream()
        guard keel_inflate_init2(&stream, -15) == Z_OK else {
            throw KeelError(name, expected: "zlib to start decompressing", found: "zlib could not allocate its state")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, input.count &* 4 &+ 4096))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return try input.withUnsafeBufferPointer { source -> [UInt8] in
            var fed = 0
            while true {
                if stream.avail_in == 0, fed < source.count, let base = source.baseAddress {
                    let piece = min(source.count - fed, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: base + fed)
                    stream.avail_in = uInt(piece)
                    fed += piece
                }
                let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return CKeelZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard produced <= limit - output.count else {
                    throw KeelError(name, expected: "\(limit) bytes once decompressed, as the zip directory says",
                                    found: "more (the archive is damaged)")
                }
                output += chunk[..<produced]
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    continue  // zlib returns Z_OK only after consuming input or producing output
                case Z_BUF_ERROR where stream.avail_in == 0 && fed < source.count:
                    continue
                case Z_BUF_ERROR:
                    throw KeelError(name, expected: "a complete deflate stream",
                                    found: "the stream cut off after \(output.count) bytes (truncated or damaged)")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw KeelError(name, expected: "valid deflate data", found: "corrupt data: \(reason)")
                }
            }
        }
    }
}

