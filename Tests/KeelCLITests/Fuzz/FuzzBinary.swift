import Foundation

/// Byte-level mutations of a binary file, aimed at its structure: `fields` are the offsets of
/// the format's addresses, sizes, counts and signatures (found by the format maps below), where
/// a wrong value reaches the reader's arithmetic instead of a weight's value.
enum FuzzBinary {
    static func mutate(_ bytes: [UInt8], fields: [Int], _ random: inout FuzzRandom) -> ([UInt8], String) {
        var out = bytes
        guard !bytes.isEmpty else { return ([0], "empty file replaced by one byte") }
        let fields = fields.filter { $0 < bytes.count }
        func point() -> Int { !fields.isEmpty && random.chance(0.8) ? random.pick(fields) : random.below(bytes.count) }
        switch random.weighted([2, 3, 5, 1, 1]) {
        case 0:
            let at = random.chance(0.5) && !fields.isEmpty ? random.pick(fields) + random.below(9) : random.below(bytes.count)
            let cut = min(at, bytes.count - 1)
            return (Array(bytes[..<cut]), "truncated to \(cut) of \(bytes.count) bytes")
        case 1:
            var changed: [String] = []
            for _ in 0..<random.pick([1, 1, 2, 4, 8]) {
                let at = point()
                let mask = random.chance(0.5) ? UInt8(1) << UInt8(random.below(8)) : UInt8(truncatingIfNeeded: random.next() | 1)
                out[at] ^= mask
                changed.append("\(at)^\(String(mask, radix: 16))")
            }
            return (out, "bytes flipped at \(changed.joined(separator: ","))")
        case 2:
            let at = point()
            let width = random.pick([1, 2, 4, 8, 8, 8])
            let value = random.pick(FuzzExtremes.unsigned)
            write(value, width: width, at: at, into: &out)
            return (out, "\(width)-byte field at \(at) set to \(width == 8 ? value : value & ((1 << UInt64(width * 8)) - 1)) (0x\(String(value, radix: 16)))")
        case 3:
            let at = point(), length = min(random.pick([1, 8, 64, 4096]), bytes.count - at)
            out.removeSubrange(at..<at + length)
            return (out, "\(length) bytes removed at \(at)")
        default:
            let at = point(), length = random.pick([1, 8, 64])
            out.insert(contentsOf: (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            return (out, "\(length) random bytes inserted at \(at)")
        }
    }

    /// Little-endian, clipped at the end of the file.
    static func write(_ value: UInt64, width: Int, at offset: Int, into bytes: inout [UInt8]) {
        for i in 0..<width where offset + i < bytes.count {
            bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))
        }
    }

    static func read(_ bytes: [UInt8], _ offset: Int, width: Int) -> UInt64? {
        guard offset >= 0, offset + width <= bytes.count else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    static func find(_ signature: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= signature.count else { return [] }
        var found: [Int] = []
        var i = 0
        while i <= bytes.count - signature.count {
            if bytes[i] == signature[0], Array(bytes[i..<i + signature.count]) == signature { found.append(i) }
            i += 1
        }
        return found
    }
}

/// Where an HDF5 file (superblock v0/v1, the layout h5py and libhdf5 write by default) keeps its
/// addresses and sizes: superblock, B-tree nodes, local heaps, symbol-table nodes, and the
/// messages of every object header reachable from them (datatype, dataspace, layout, attribute,
/// continuation).
enum HDF5Map {
    /// An address or size field: where it is and how wide.
    struct Field {
        let offset: Int
        let width: Int
        var what = ""
    }

    /// The fields libhdf5 follows or allocates by: B-tree children and siblings, symbol-table
    /// entries, heap data addresses, continuation blocks, and the sizes inside attribute,
    /// datatype, dataspace and layout messages.
    static func critical(_ bytes: [UInt8]) -> [Field] {
        var found: [Field] = [Field(offset: 24, width: 8, what: "superblock base address"),
                              Field(offset: 32, width: 8, what: "superblock free-space address"),
                              Field(offset: 40, width: 8, what: "superblock end-of-file address"),
                              Field(offset: 64, width: 8, what: "root object header address"),
                              Field(offset: 80, width: 8, what: "root B-tree address"),
                              Field(offset: 88, width: 8, what: "root local heap address")]
        for at in FuzzBinary.find(Array("TREE".utf8), in: bytes) {
            found += [Field(offset: at + 6, width: 2, what: "B-tree entries used"),
                      Field(offset: at + 8, width: 8, what: "B-tree left sibling"), Field(offset: at + 16, width: 8, what: "B-tree right sibling")]
            let used = Int(FuzzBinary.read(bytes, at + 6, width: 2) ?? 0)
            for child in 0..<min(used, 64) { found.append(Field(offset: at + 32 + 16 * child, width: 8, what: "group B-tree child address")) }
        }
        for at in FuzzBinary.find(Array("HEAP".utf8), in: bytes) {
            found += [Field(offset: at + 8, width: 8, what: "local heap data size"), Field(offset: at + 16, width: 8, what: "local heap free list"),
                      Field(offset: at + 24, width: 8, what: "local heap data address")]
        }
        for at in FuzzBinary.find(Array("SNOD".utf8), in: bytes) {
            let count = Int(FuzzBinary.read(bytes, at + 6, width: 2) ?? 0)
            found.append(Field(offset: at + 6, width: 2, what: "symbol table node count"))
            for entry in 0..<min(count, 64) {
                let base = at + 8 + 40 * entry
                found += [Field(offset: base, width: 8, what: "symbol name offset"), Field(offset: base + 8, width: 8, what: "symbol object header address"),
                          Field(offset: base + 24, width: 8, what: "symbol cached B-tree address"), Field(offset: base + 32, width: 8, what: "symbol cached heap address")]
            }
        }
        for at in FuzzBinary.find(Array("GCOL".utf8), in: bytes) { found.append(Field(offset: at + 8, width: 8, what: "global heap collection size")) }
        var messages: [(type: UInt64, data: Int)] = []
        _ = fields(bytes, messages: &messages)
        for (type, data) in messages {
            switch type {
            case 0x01: found += [Field(offset: data + 1, width: 1, what: "dataspace rank"), Field(offset: data + 8, width: 8, what: "dataspace dimension"),
                                 Field(offset: data + 16, width: 8, what: "dataspace dimension")]
            case 0x03: found += [Field(offset: data + 4, width: 4, what: "datatype size")]
            case 0x08: found += [Field(offset: data + 2, width: 8, what: "layout data address"), Field(offset: data + 10, width: 8, what: "layout data size")]
            case 0x10: found += [Field(offset: data, width: 8, what: "continuation address"), Field(offset: data + 8, width: 8, what: "continuation length")]
            case 0x11: found += [Field(offset: data, width: 8, what: "symbol table B-tree address"), Field(offset: data + 8, width: 8, what: "symbol table heap address")]
            case 0x0C: // attribute v1: name, datatype and dataspace sizes, then each padded to 8
                found += [Field(offset: data + 2, width: 2, what: "attribute name size"), Field(offset: data + 4, width: 2, what: "attribute datatype size"),
                          Field(offset: data + 6, width: 2, what: "attribute dataspace size")]
                if let nameSize = FuzzBinary.read(bytes, data + 2, width: 2), let typeSize = FuzzBinary.read(bytes, data + 4, width: 2) {
                    let datatype = data + 8 + (Int(nameSize) + 7) / 8 * 8
                    let dataspace = datatype + (Int(typeSize) + 7) / 8 * 8
                    found += [Field(offset: datatype + 4, width: 4, what: "attribute's datatype size"), Field(offset: dataspace + 1, width: 1, what: "attribute's dataspace rank"),
                              Field(offset: dataspace + 8, width: 8, what: "attribute's dataspace dimension")]
                }
            default: break
            }
        }
        return found.filter { $0.offset >= 0 && $0.offset + $0.width <= bytes.count }
    }

    static func fields(_ bytes: [UInt8]) -> [Int] {
        var messages: [(type: UInt64, data: Int)] = []
        return fields(bytes, messages: &messages)
    }

    private static func fields(_ bytes: [UInt8], messages found: inout [(type: UInt64, data: Int)]) -> [Int] {
        var fields = Array(stride(from: 0, to: min(bytes.count, 96), by: 4)) + [8, 13, 14, 15, 16]
        var headers: [Int] = []
        if let root = FuzzBinary.read(bytes, 64, width: 8) { headers.append(Int(truncatingIfNeeded: root)) }
        for signature in ["TREE", "HEAP", "SNOD", "GCOL", "OHDR", "OCHK", "FRHP", "FHDB", "BTHD", "BTLF"] {
            for at in FuzzBinary.find(Array(signature.utf8), in: bytes) {
                fields += stride(from: at, to: min(at + 48, bytes.count), by: 4)
                if signature == "SNOD", let count = FuzzBinary.read(bytes, at + 6, width: 2) {
                    for entry in 0..<Int(min(count, 64)) {
                        let base = at + 8 + 40 * entry
                        fields += [base, base + 8, base + 24, base + 32]
                        if let header = FuzzBinary.read(bytes, base + 8, width: 8) { headers.append(Int(truncatingIfNeeded: header)) }
                    }
                }
            }
        }
        var seen = Set<Int>()
        while let header = headers.popLast() {
            guard header > 0, header < bytes.count, seen.insert(header).inserted, seen.count < 200 else { continue }
            fields += messages(bytes, header: header, headers: &headers, found: &found)
        }
        return fields.filter { $0 >= 0 && $0 < bytes.count }
    }

    /// The message fields of a version-1 object header and its continuation blocks.
    private static func messages(_ bytes: [UInt8], header: Int, headers: inout [Int],
                                 found: inout [(type: UInt64, data: Int)]) -> [Int] {
        guard bytes[header] == 1, let size = FuzzBinary.read(bytes, header + 8, width: 4) else { return [] }
        var fields = [header, header + 2, header + 4, header + 8]
        var blocks = [(header + 16, Int(min(size, 1 << 20)))]
        var walked = 0
        while let (start, length) = blocks.popLast(), walked < 64 {
            walked += 1
            var at = start
            while at + 8 <= min(start + length, bytes.count) {
                guard let type = FuzzBinary.read(bytes, at, width: 2), let messageSize = FuzzBinary.read(bytes, at + 2, width: 2) else { break }
                fields += [at, at + 2, at + 8, at + 12, at + 16, at + 24]
                found.append((type, at + 8))
                if type == 0x10, let address = FuzzBinary.read(bytes, at + 8, width: 8),
                   let continuationLength = FuzzBinary.read(bytes, at + 16, width: 8),
                   address < UInt64(bytes.count), continuationLength < 1 << 20 {
                    blocks.append((Int(address), Int(continuationLength)))
                    fields.append(Int(address))
                }
                if type == 0x11, let btree = FuzzBinary.read(bytes, at + 8, width: 8) { // symbol table: B-tree and heap
                    fields += [Int(truncatingIfNeeded: btree)]
                }
                at += 8 + Int(messageSize)
            }
        }
        return fields
    }
}

/// Where a zip archive keeps its sizes and offsets: local headers, central directory entries
/// (with their ZIP64 extra fields), the end records (classic and ZIP64).
enum ZipMap {
    static func fields(_ bytes: [UInt8]) -> [Int] {
        var fields: [Int] = []
        for at in FuzzBinary.find([0x50, 0x4B, 0x03, 0x04], in: bytes) {
            fields += [at + 6, at + 8, at + 14, at + 18, at + 22, at + 26, at + 28]
            fields += extraFields(bytes, start: at + 30 + Int(FuzzBinary.read(bytes, at + 26, width: 2) ?? 0),
                                  length: Int(FuzzBinary.read(bytes, at + 28, width: 2) ?? 0))
        }
        for at in FuzzBinary.find([0x50, 0x4B, 0x01, 0x02], in: bytes) {
            fields += [at + 10, at + 16, at + 20, at + 24, at + 28, at + 30, at + 32, at + 34, at + 42]
            fields += extraFields(bytes, start: at + 46 + Int(FuzzBinary.read(bytes, at + 28, width: 2) ?? 0),
                                  length: Int(FuzzBinary.read(bytes, at + 30, width: 2) ?? 0))
        }
        for at in FuzzBinary.find([0x50, 0x4B, 0x05, 0x06], in: bytes) { fields += [at + 4, at + 8, at + 10, at + 12, at + 16, at + 20] }
        for at in FuzzBinary.find([0x50, 0x4B, 0x06, 0x06], in: bytes) { fields += stride(from: at + 4, to: at + 56, by: 8).map { $0 } + [at + 16, at + 20, at + 24] }
        for at in FuzzBinary.find([0x50, 0x4B, 0x06, 0x07], in: bytes) { fields += [at + 4, at + 8, at + 16] }
        return fields.filter { $0 >= 0 && $0 < bytes.count }
    }

    /// The offsets of the 8-byte values in ZIP64 extra fields (and the header of every extra field).
    static func zip64Values(_ bytes: [UInt8]) -> [Int] {
        var values: [Int] = []
        for (signature, nameLength, extraLength, fixed) in [([UInt8]([0x50, 0x4B, 0x03, 0x04]), 26, 28, 30), ([0x50, 0x4B, 0x01, 0x02], 28, 30, 46)] {
            for at in FuzzBinary.find(signature, in: bytes) {
                let start = at + fixed + Int(FuzzBinary.read(bytes, at + nameLength, width: 2) ?? 0)
                let end = start + Int(FuzzBinary.read(bytes, at + extraLength, width: 2) ?? 0)
                var field = start
                while field + 4 <= min(end, bytes.count) {
                    let id = FuzzBinary.read(bytes, field, width: 2) ?? 0, size = Int(FuzzBinary.read(bytes, field + 2, width: 2) ?? 0)
                    if id == 1 { values += stride(from: field + 4, to: field + 4 + size, by: 8).map { $0 } }
                    field += 4 + size
                }
            }
        }
        return values.filter { $0 + 8 <= bytes.count }
    }

    private static func extraFields(_ bytes: [UInt8], start: Int, length: Int) -> [Int] {
        var fields: [Int] = []
        var at = start
        while at + 4 <= min(start + length, bytes.count) {
            let size = Int(FuzzBinary.read(bytes, at + 2, width: 2) ?? 0)
            fields += [at, at + 2] + stride(from: at + 4, to: at + 4 + size, by: 8).map { $0 }
            at += 4 + size
        }
        return fields
    }
}
