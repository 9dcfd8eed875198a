/// Writes a zip archive whose members are stored uncompressed, as Keras writes `.keras` files
/// (Python's `zipfile` with its default `ZIP_STORED`). Members carry the zip epoch
/// (1980-01-01 00:00) as their time, so saving the same model twice gives the same bytes.
enum ZipArchiveWriter {
    /// The most a member or the archive may hold without the zip64 extensions, which Keras
    /// never needs for a model's weights and which this writer does not produce.
    static let sizeLimit = Int(UInt32.max)

    /// The archive's bytes, members in the given order. `archiveName` names it in errors.
    static func encode(_ members: [(name: String, bytes: [UInt8])], archiveName: String) throws -> [UInt8] {
        var archive: [UInt8] = []
        var centralDirectory: [UInt8] = []
        archive.reserveCapacity(members.reduce(22) { $0 + $1.bytes.count + 2 * $1.name.utf8.count + 76 })
        for member in members {
            let name = Array(member.name.utf8)
            guard member.bytes.count < sizeLimit, archive.count < sizeLimit, name.count <= Int(UInt16.max) else {
                throw KeelError(archiveName, expected: "members and an archive under 4 GiB (zip without zip64)",
                                found: "member '\(member.name)' of \(member.bytes.count) bytes at offset \(archive.count)")
            }
            let checksum = CRC32.checksum(member.bytes)
            let offset = UInt32(archive.count)
            var local = ZipBytes()
            local.append32(0x0403_4B50)
            appendCommonFields(to: &local, checksum: checksum, size: member.bytes.count, nameLength: name.count)
            local.append16(0)  // extra field length
            archive += local.bytes
            archive += name
            archive += member.bytes

            var central = ZipBytes()
            central.append32(0x0201_4B50)
            central.append16(0x0314)  // made by: Unix, zip 2.0 (as Python writes)
            appendCommonFields(to: &central, checksum: checksum, size: member.bytes.count, nameLength: name.count)
            central.append16(0)  // extra field length
            central.append16(0)  // comment length
            central.append16(0)  // disk number
            central.append16(0)  // internal attributes
            central.append32(0o600 << 16)  // external attributes: a regular file, rw-------
            central.append32(offset)
            centralDirectory += central.bytes
            centralDirectory += name
        }
        guard archive.count + centralDirectory.count < sizeLimit, members.count < Int(UInt16.max) else {
            throw KeelError(archiveName, expected: "an archive under 4 GiB with fewer than 65535 members",
                            found: "\(archive.count + centralDirectory.count) bytes in \(members.count) members")
        }
        let directoryOffset = UInt32(archive.count)
        archive += centralDirectory
        var end = ZipBytes()
        end.append32(0x0605_4B50)
        end.append16(0)  // this disk
        end.append16(0)  // disk holding the directory
        end.append16(UInt16(members.count))
        end.append16(UInt16(members.count))
        end.append32(UInt32(centralDirectory.count))
        end.append32(directoryOffset)
        end.append16(0)  // comment length
        archive += end.bytes
        return archive
    }

    /// The fields local headers and directory entries share, from "version needed" to the
    /// name length.
    private static func appendCommonFields(to header: inout ZipBytes, checksum: UInt32, size: Int, nameLength: Int) {
        header.append16(20)  // version needed to extract: 2.0
        header.append16(0)  // flags: no encryption, no data descriptor
        header.append16(0)  // method: stored
        header.append16(0)  // time 00:00:00
        header.append16(0x21)  // date 1980-01-01
        header.append32(checksum)
        header.append32(UInt32(size))  // compressed size
        header.append32(UInt32(size))  // uncompressed size
        header.append16(UInt16(nameLength))
    }
}
