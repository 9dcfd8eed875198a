/// Reads the members of a zip archive held in memory (a `.keras` file): stored members, as
/// Keras writes them, and deflated ones, as an archive tool re-packing the file would write.
/// Every offset and size is checked against the bytes, so a truncated or damaged archive is
/// a `KeelError` naming the file, never a crash.
struct ZipArchiveReader {
    struct Member {
        let name: String
        let method: Int
        let flags: Int
        let checksum: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// The file the bytes came from, for messages.
    let source: String
    /// Members in the order of the central directory.
    let members: [Member]
    private let bytes: [UInt8]

    init(bytes: [UInt8], source: String) throws {
        self.bytes = bytes
        self.source = source
        guard !bytes.isEmpty else {
            throw KeelError(source, expected: "a zip archive (a .keras file)", found: "an empty file (0 bytes)")
        }
        guard bytes.count >= 4, ZipBytes.read32(bytes, at: 0) == 0x0403_4B50 || ZipBytes.read32(bytes, at: 0) == 0x0605_4B50 else {
            let head = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
            throw KeelError(source, expected: "a zip archive (a .keras file starts with PK\\x03\\x04)",
                            found: "a file of \(bytes.count) bytes starting with \(head)")
        }
        let end = try Self.endOfCentralDirectory(in: bytes, source: source)
        let count = ZipBytes.read16(bytes, at: end + 10)
        let directorySize = ZipBytes.read32(bytes, at: end + 12)
        let directoryOffset = ZipBytes.read32(bytes, at: end + 16)
        guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else {
            throw KeelError(source, expected: "a zip archive without zip64 records", found: "a zip64 archive")
        }
        guard directoryOffset + directorySize <= end else {
            throw KeelError(source, expected: "a central directory before the end record",
                            found: "\(directorySize) bytes at offset \(directoryOffset), past \(end) (truncated or damaged)")
        }
        var members: [Member] = []
        var position = directoryOffset
        for index in 0..<count {
            guard position + 46 <= end, ZipBytes.read32(bytes, at: position) == 0x0201_4B50 else {
                throw KeelError(source, expected: "\(count) central directory entries",
                                found: "entry \(index) damaged at offset \(position)")
            }
            let nameLength = ZipBytes.read16(bytes, at: position + 28)
            let extraLength = ZipBytes.read16(bytes, at: position + 30)
            let commentLength = ZipBytes.read16(bytes, at: position + 32)
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= end else {
                throw KeelError(source, expected: "\(count) central directory entries",
                                found: "entry \(index) running past the directory (damaged)")
            }
            members.append(Member(
                name: String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self),
                method: ZipBytes.read16(bytes, at: position + 10),
                flags: ZipBytes.read16(bytes, at: position + 8),
                checksum: UInt32(ZipBytes.read32(bytes, at: position + 16)),
                compressedSize: ZipBytes.read32(bytes, at: position + 20),
                uncompressedSize: ZipBytes.read32(bytes, at: position + 24),
                localHeaderOffset: ZipBytes.read32(bytes, at: position + 42)))
            position = next
        }
        self.members = members
    }

    /// The end-of-central-directory record: the last one in the file (a comment may follow it).
    private static func endOfCentralDirectory(in bytes: [UInt8], source: String) throws -> Int {
        let recordSize = 22
        if bytes.count >= recordSize {
            let earliest = max(0, bytes.count - recordSize - Int(UInt16.max))
            for start in stride(from: bytes.count - recordSize, through: earliest, by: -1)
            where ZipBytes.read32(bytes, at: start) == 0x0605_4B50 {
                return start
            }
        }
        throw KeelError(source, expected: "a zip end-of-central-directory record",
                        found: "none in \(bytes.count) bytes (the file is truncated or not a zip archive)")
    }

    var memberNames: [String] { members.map(\.name) }

    /// The uncompressed content of the member called `name`, its CRC-32 checked.
    func contents(of name: String) throws -> [UInt8] {
        guard let member = members.first(where: { $0.name == name }) else {
            throw KeelError(source, expected: "a member '\(name)'",
                            found: "members \(memberNames.joined(separator: ", "))")
        }
        let what = "\(source) member '\(name)'"
        guard member.flags & 1 == 0 else {
            throw KeelError(what, expected: "an unencrypted member", found: "an encrypted one")
        }
        let header = member.localHeaderOffset
        guard header + 30 <= bytes.count, ZipBytes.read32(bytes, at: header) == 0x0403_4B50 else {
            throw KeelError(what, expected: "a local header at offset \(header)", found: "none (damaged archive)")
        }
        let start = header + 30 + ZipBytes.read16(bytes, at: header + 26) + ZipBytes.read16(bytes, at: header + 28)
        guard start + member.compressedSize <= bytes.count else {
            throw KeelError(what, expected: "\(member.compressedSize) bytes of data at offset \(start)",
                            found: "the file ending at \(bytes.count) bytes (truncated)")
        }
        let stored = Array(bytes[start..<(start + member.compressedSize)])
        let content: [UInt8]
        switch member.method {
        case 0:
            content = stored
        case 8:
            content = try Gzip.decompress(Self.gzipStream(deflated: stored, member: member), name: what)
        default:
            throw KeelError(what, expected: "a stored or deflated member", found: "compression method \(member.method)")
        }
        guard content.count == member.uncompressedSize else {
            throw KeelError(what, expected: "\(member.uncompressedSize) bytes", found: "\(content.count) bytes")
        }
        let checksum = CRC32.checksum(content)
        guard checksum == member.checksum else {
            throw KeelError(what, expected: "CRC-32 \(String(member.checksum, radix: 16)) from the zip directory",
                            found: "CRC-32 \(String(checksum, radix: 16)) (the member is corrupt)")
        }
        return content
    }

    /// A zip member's raw deflate data framed as a gzip stream (header, data, CRC and length),
    /// so the zlib-backed gzip reader inflates it and checks it.
    private static func gzipStream(deflated: [UInt8], member: Member) -> [UInt8] {
        var trailer = ZipBytes()
        trailer.append32(member.checksum)
        trailer.append32(UInt32(truncatingIfNeeded: member.uncompressedSize))
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + deflated + trailer.bytes
    }
}
