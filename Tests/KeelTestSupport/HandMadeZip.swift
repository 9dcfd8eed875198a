import Foundation

/// Zip archives written byte by byte, so tests can state any size, offset or count a damaged or
/// hostile archive might carry (ZIP64 extra fields of 2^62, 2^63, 2^64-1; offsets past the end).
public enum HandMadeZip {
    public struct Member {
        public var name: String
        public var bytes: [UInt8]
        /// Values written in the member's ZIP64 extra field (the 32-bit fields then say 0xFFFFFFFF).
        public var zip64UncompressedSize: UInt64?
        public var zip64CompressedSize: UInt64?
        public var zip64LocalHeaderOffset: UInt64?
        /// Replaces the 32-bit local header offset in the central directory.
        public var localHeaderOffset: UInt32?

        public init(_ name: String, _ bytes: [UInt8], zip64UncompressedSize: UInt64? = nil, zip64CompressedSize: UInt64? = nil,
                    zip64LocalHeaderOffset: UInt64? = nil, localHeaderOffset: UInt32? = nil) {
            self.name = name
            self.bytes = bytes
            self.zip64UncompressedSize = zip64UncompressedSize
            self.zip64CompressedSize = zip64CompressedSize
            self.zip64LocalHeaderOffset = zip64LocalHeaderOffset
            self.localHeaderOffset = localHeaderOffset
        }
    }

    /// What the ZIP64 end-of-central-directory record says, when one is written.
    public struct Zip64End {
        public var entryCount: UInt64?
        public var directorySize: UInt64?
        public var directoryOffset: UInt64?
        public init(entryCount: UInt64? = nil, directorySize: UInt64? = nil, directoryOffset: UInt64? = nil) {
            self.entryCount = entryCount
            self.directorySize = directorySize
            self.directoryOffset = directoryOffset
        }
    }

    /// A stored (uncompressed) archive of `members`. `dropDirectoryBytes` cuts that many bytes
    /// off the end of the central directory while the end record still announces all of it.
    public static func archive(_ members: [Member], zip64End: Zip64End? = nil, dropDirectoryBytes: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            let offset = out.count
            let name = Array(member.name.utf8)
            let crc = crc32(member.bytes)
            out += join(le32(0x0403_4B50), le16(45), le16(0), le16(0), le16(0), le16(0), le32(crc))
            out += join(le32(UInt32(member.bytes.count)), le32(UInt32(member.bytes.count)), le16(name.count), le16(0))
            out += name + member.bytes
            var extra: [UInt8] = []
            if let size = member.zip64UncompressedSize { extra += le64(size) }
            if let size = member.zip64CompressedSize { extra += le64(size) }
            if let offset = member.zip64LocalHeaderOffset { extra += le64(offset) }
            if !extra.isEmpty { extra = le16(0x0001) + le16(extra.count) + extra }
            let compressed: UInt32 = member.zip64CompressedSize == nil ? UInt32(member.bytes.count) : 0xFFFF_FFFF
            let uncompressed: UInt32 = member.zip64UncompressedSize == nil ? UInt32(member.bytes.count) : 0xFFFF_FFFF
            let localOffset: UInt32 = member.zip64LocalHeaderOffset == nil ? (member.localHeaderOffset ?? UInt32(offset)) : 0xFFFF_FFFF
            directory += join(le32(0x0201_4B50), le16(45), le16(45), le16(0), le16(0), le16(0), le16(0), le32(crc))
            directory += join(le32(compressed), le32(uncompressed), le16(name.count), le16(extra.count), le16(0))
            directory += join(le16(0), le16(0), le32(0), le32(localOffset), name, extra)
        }
        let directoryOffset = out.count, directorySize = directory.count
        out += directory.dropLast(dropDirectoryBytes)
        if let zip64End {
            let recordOffset = out.count
            out += join(le32(0x0606_4B50), le64(44), le16(45), le16(45), le32(0), le32(0))
            out += join(le64(zip64End.entryCount ?? UInt64(members.count)), le64(zip64End.entryCount ?? UInt64(members.count)))
            out += join(le64(zip64End.directorySize ?? UInt64(directorySize)), le64(zip64End.directoryOffset ?? UInt64(directoryOffset)))
            out += join(le32(0x0706_4B50), le32(0), le64(UInt64(recordOffset)), le32(1))
            out += join(le32(0x0605_4B50), le16(0), le16(0), le16(0xFFFF), le16(0xFFFF))
            out += join(le32(0xFFFF_FFFF), le32(0xFFFF_FFFF), le16(0))
        } else {
            out += join(le32(0x0605_4B50), le16(0), le16(0), le16(members.count), le16(members.count))
            out += join(le32(UInt32(directorySize)), le32(UInt32(directoryOffset)), le16(0))
        }
        return out
    }

    private static func join(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }
    private static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    private static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// CRC-32 (IEEE, as zip uses), bit by bit: tests make tiny archives.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
