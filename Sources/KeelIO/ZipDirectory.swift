/// The central directory of a zip archive held in memory, read with every size, offset and count
/// checked against the archive's real length before anything is allocated or copied: a damaged
/// or hostile archive (ZIP64 sizes of 2^62 or 2^64-1, offsets past the end, a truncated directory)
/// is an error, never a trap, an endless loop or a huge allocation.
/// See PKWARE's APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory),
/// 4.3.14-16 (ZIP64 end records) and 4.5.3 (ZIP64 extra field).
struct ZipDirectory {
    struct Entry {
        let name: String
        let method: UInt16
        let crc32: UInt32
        /// Where the member's (possibly compressed) bytes start and how many there are; both
        /// checked to lie inside the archive.
        let dataRange: Range<Int>
        /// The size the directory announces for the stored content, bounded by what `method`
        /// can expand `dataRange` to.
        let uncompressedSize: Int
        var isDirectory: Bool { name.hasSuffix("/") }
    }

    let entries: [Entry]

    private static let endRecordSize = 22, zip64LocatorSize = 20, zip64EndRecordSize = 56
    private static let directoryHeaderSize = 46, localHeaderSize = 30
    /// Deflate cannot expand data by more than about 1032:1 (zlib's technical notes).
    static let deflateMaximumRatio = 1032

    /// Reads the directory of `bytes`; `name` (the archive) is named in every error.
    init(_ bytes: [UInt8], name: String) throws {
        let reader = ByteReader(bytes: bytes, name: name)
        guard let end = Self.endRecordOffset(in: bytes) else {
            throw KeelError(name, expected: "a zip end-of-central-directory record",
                            found: "none (the file is truncated or not a zip archive)")
        }
        var count = UInt64(try reader.u16(end + 10, "the entry count"))
        var directorySize = UInt64(try reader.u32(end + 12, "the central directory size"))
        var directoryOffset = UInt64(try reader.u32(end + 16, "the central directory offset"))
        var directoryEnd = end
        let locator = end - Self.zip64LocatorSize
        if locator >= 0, try reader.u32(locator, "a ZIP64 locator") == 0x0706_4B50 {
            let record = try reader.offset(try reader.u64(locator + 8, "the ZIP64 end record offset"),
                                           length: UInt64(Self.zip64EndRecordSize), limit: locator, "the ZIP64 end record")
            guard try reader.u32(record, "the ZIP64 end record") == 0x0606_4B50 else {
                throw KeelError(name, expected: "a ZIP64 end-of-central-directory record at offset \(record)",
                                found: "bytes \(Gzip.hexPrefix(Array(bytes[record...].prefix(4)))) (the archive is damaged)")
            }
            count = try reader.u64(record + 32, "the ZIP64 entry count")
            directorySize = try reader.u64(record + 40, "the ZIP64 central directory size")
            directoryOffset = try reader.u64(record + 48, "the ZIP64 central directory offset")
            directoryEnd = record
        }
        let start = try reader.offset(directoryOffset, length: directorySize, limit: directoryEnd, "the central directory")
        let directoryLength = Int(directorySize)
        // Every entry takes at least a fixed-size header, so the count is bounded before any loop.
        guard count <= UInt64(directoryLength / Self.directoryHeaderSize) else {
            throw KeelError(name, expected: "at most \(directoryLength / Self.directoryHeaderSize) entries in a central directory of \(directoryLength) bytes",
                            found: "\(count) entries announced (the archive is damaged)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var position = start
        let limit = start + directoryLength
        for index in 0..<Int(count) {
            let entry = try Self.entry(at: position, limit: limit, index: index, reader: reader)
            entries.append(entry.entry)
            position = entry.next  // strictly greater than `position`: the walk always progresses
        }
        self.entries = entries
    }

    /// The central directory header at `position` and where the next one starts.
    private static func entry(at position: Int, limit: Int, index: Int, reader: ByteReader) throws -> (entry: Entry, next: Int) {
        let what = "central directory entry \(index + 1)"
        guard limit - position >= directoryHeaderSize, try reader.u32(position, what) == 0x0201_4B50 else {
            throw KeelError(reader.name, expected: "\(what) at offset \(position)",
                            found: "no directory header there (the central directory is truncated or damaged)")
        }
        let flags = try reader.u16(position + 8, what), method = try reader.u16(position + 10, what)
        let crc = try reader.u32(position + 16, what)
        var compressed = UInt64(try reader.u32(position + 20, what))
        var uncompressed = UInt64(try reader.u32(position + 24, what))
        let nameLength = Int(try reader.u16(position + 28, what))
        let extraLength = Int(try reader.u16(position + 30, what))
        let commentLength = Int(try reader.u16(position + 32, what))
        var localOffset = UInt64(try reader.u32(position + 42, what))
        let next = position + directoryHeaderSize + nameLength + extraLength + commentLength
        guard next <= limit else {
            throw KeelError(reader.name, expected: "\(what) inside the central directory",
                            found: "its name, extra field and comment running \(next - limit) bytes past its end (truncated)")
        }
        let nameStart = position + directoryHeaderSize
        let name = String(decoding: reader.bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
        let subject = "\(reader.name) member '\(name)'"
        // ZIP64 extra field: 8-byte values, present only for the fields whose 32-bit value is all ones.
        var extra = nameStart + nameLength
        let extraEnd = extra + extraLength
        while extraEnd - extra >= 4 {
            let id = try reader.u16(extra, what), size = Int(try reader.u16(extra + 2, what))
            let body = extra + 4
            guard size <= extraEnd - body else {
                throw KeelError(subject, expected: "extra fields inside the directory entry",
                                found: "field 0x\(String(id, radix: 16)) of \(size) bytes running past it (damaged)")
            }
            if id == 0x0001 {
                var field = body
                func next64(_ label: String) throws -> UInt64 {
                    guard body + size - field >= 8 else {
                        throw KeelError(subject, expected: "a ZIP64 \(label) in its ZIP64 extra field",
                                        found: "a field of only \(size) bytes (damaged)")
                    }
                    defer { field += 8 }
                    return try reader.u64(field, "the ZIP64 \(label)")
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try next64("uncompressed size") }
                if compressed == 0xFFFF_FFFF { compressed = try next64("compressed size") }
                if localOffset == 0xFFFF_FFFF { localOffset = try next64("local header offset") }
            }
            extra = body + size
        }
        guard flags & 1 == 0 else {
            throw KeelError(subject, expected: "an unencrypted member", found: "an encrypted one")
        }
        let header = try reader.offset(localOffset, length: UInt64(localHeaderSize), limit: reader.bytes.count,
                                       "the local header of member '\(name)'")
        guard try reader.u32(header, what) == 0x0403_4B50 else {
            throw KeelError(subject, expected: "a local file header at offset \(header)",
                            found: "bytes \(Gzip.hexPrefix(Array(reader.bytes[header...].prefix(4)))) (the archive is damaged)")
        }
        let localNameLength = UInt64(try reader.u16(header + 26, what)), localExtraLength = UInt64(try reader.u16(header + 28, what))
        let dataStart = try reader.offset(UInt64(header) + UInt64(localHeaderSize) + localNameLength + localExtraLength, length: 0,
                                          limit: reader.bytes.count, "the data of member '\(name)'")
        let dataOffset = try reader.offset(UInt64(dataStart), length: compressed, limit: reader.bytes.count,
                                           "the \(compressed) compressed bytes of member '\(name)'")
        let dataRange = dataOffset..<(dataOffset + Int(compressed))
        let ceiling: UInt64
        switch method {
        case 0: ceiling = compressed
        case 8:
            let product = compressed.multipliedReportingOverflow(by: UInt64(deflateMaximumRatio))
            ceiling = product.overflow ? UInt64(Int.max) : min(product.partialValue, UInt64(Int.max) - 64) + 64
        default:
            throw KeelError(subject, expected: "compression method 0 (stored) or 8 (deflate)", found: "method \(method)")
        }
        guard method == 0 ? uncompressed == compressed : uncompressed <= ceiling else {
            throw KeelError(subject, expected: method == 0 ? "an uncompressed size equal to its \(compressed) stored bytes"
                                                           : "an uncompressed size of at most \(ceiling) bytes for \(compressed) deflated bytes",
                            found: "\(uncompressed) bytes announced (the archive is damaged)")
        }
        let entry = Entry(name: name, method: method, crc32: crc, dataRange: dataRange, uncompressedSize: Int(uncompressed))
        return (entry, next)
    }

    /// The offset of the end-of-central-directory record: the last signature whose comment fits
    /// in the file, searched over the largest comment a zip can carry.
    private static func endRecordOffset(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= endRecordSize else { return nil }
        let earliest = max(0, bytes.count - endRecordSize - Int(UInt16.max))
        for start in stride(from: bytes.count - endRecordSize, through: earliest, by: -1)
        where bytes[start] == 0x50 && bytes[start + 1] == 0x4B && bytes[start + 2] == 0x05 && bytes[start + 3] == 0x06 {
            let commentLength = Int(bytes[start + 20]) | Int(bytes[start + 21]) << 8
            if start + endRecordSize + commentLength <= bytes.count { return start }
        }
        return nil
    }
}

/// Little-endian fields of an in-memory archive; a field past the end is an error naming it.
private struct ByteReader {
    let bytes: [UInt8]
    let name: String

    func u16(_ at: Int, _ what: String) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try value(at, size: 2, what))
    }

    func u32(_ at: Int, _ what: String) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try value(at, size: 4, what))
    }

    func u64(_ at: Int, _ what: String) throws -> UInt64 {
        try value(at, size: 8, what)
    }

    private func value(_ at: Int, size: Int, _ what: String) throws -> UInt64 {
        guard at >= 0, at <= bytes.count - size else {
            throw KeelError(name, expected: "\(what) at offset \(at)", found: "the archive ending at \(bytes.count) bytes (truncated)")
        }
        var result: UInt64 = 0
        for i in stride(from: size - 1, through: 0, by: -1) { result = result << 8 | UInt64(bytes[at + i]) }
        return result
    }

    /// `offset` as an index, once `offset + length` is known (without overflow) to end by `limit`.
    func offset(_ offset: UInt64, length: UInt64, limit: Int, _ what: String) throws -> Int {
        let end = offset.addingReportingOverflow(length)
        guard !end.overflow, end.partialValue <= UInt64(limit) else {
            throw KeelError(name, expected: "\(what) inside the \(bytes.count)-byte archive",
                            found: "offset \(offset) and size \(length), past its end (the archive is truncated or damaged)")
        }
        return Int(offset)
    }
}
