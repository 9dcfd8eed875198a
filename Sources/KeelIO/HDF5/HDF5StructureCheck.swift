#if canImport(Glibc)
import Glibc
#endif

/// Walks an HDF5 file's structure before libhdf5 opens it, so that libhdf5 is never handed an
/// address or size it would trust blindly.
///
/// libhdf5 1.10 follows addresses it reads from the file (B-tree children, object-header
/// continuations) and copies as many bytes as a message claims (an attribute's data, sized by
/// its datatype) without checking them against the file or the message; one damaged field
/// makes it read wild memory and kill the process. This check parses the file format itself
/// (superblock, object headers and their continuations, old-style groups with their B-trees,
/// symbol nodes and local heaps, new-style groups and attributes in fractal heaps indexed by
/// version-2 B-trees, attributes, datatypes, dataspaces and data layouts), visits every object
/// reachable from the root, and throws a `KeelError` naming the file, the object and the field
/// at the first address outside the file or size that does not fit its container.
///
/// Structures Keel cannot check (shared-message heaps, filtered fractal heaps, the chunk
/// indexes of the HDF5 1.10 layout other than single and implicit chunks, virtual datasets)
/// are refused rather than handed on unchecked; neither Keras (h5py) nor Keel writes them.
enum HDF5StructureCheck {
    /// Checks the file at `path` (already known to be a regular file with the HDF5 signature).
    static func check(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw KeelError(path, expected: "a readable HDF5 file", found: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw KeelError(path, expected: "a readable HDF5 file", found: String(cString: strerror(errno)))
        }
        try check(HDF5DescriptorBytes(descriptor: descriptor, count: UInt64(max(0, status.st_size))), name: path)
    }

    /// Checks a file held in memory; `name` is how errors name it.
    static func check(bytes: [UInt8], name: String) throws {
        try check(HDF5MemoryBytes(storage: bytes), name: name)
    }

    /// Where the walk found the fields damaged files are made of (file offsets), for tests that
    /// patch them.
    struct Landmarks {
        var continuationAddresses: [UInt64] = []
        var continuationLengths: [UInt64] = []
        var groupTreeChildren: [UInt64] = []
        /// The size field of fixed-size datatypes of attributes (4 bytes).
        var attributeDatatypeSizes: [UInt64] = []
        /// The field of attribute messages giving the size of their datatype (2 bytes).
        var attributeDatatypeFields: [UInt64] = []
        /// The name-offset field of symbol-table entries, with the size of the heap they index.
        var symbolNameOffsets: [(field: UInt64, heapSize: UInt64)] = []
    }

    /// Checks `bytes` and reports where its structures are.
    static func landmarks(of bytes: [UInt8], name: String) throws -> Landmarks {
        let checker = HDF5StructureChecker(source: HDF5MemoryBytes(storage: bytes))
        checker.landmarks = Landmarks()
        try run(checker, name: name)
        return checker.landmarks ?? Landmarks()
    }

    private static func check(_ source: HDF5ByteSource, name: String) throws {
        try run(HDF5StructureChecker(source: source), name: name)
    }

    private static func run(_ checker: HDF5StructureChecker, name: String) throws {
        do {
            try checker.checkFile()
        } catch let damage as HDF5Damage {
            throw KeelError("\(name) [\(damage.object ?? "superblock")]",
                            expected: damage.expected, found: damage.found)
        }
    }
}

/// The walk itself; one per check.
final class HDF5StructureChecker {
    private let source: HDF5ByteSource
    var landmarks: HDF5StructureCheck.Landmarks?

    /// File offset of the superblock; every address in the file is relative to it.
    private var base: UInt64 = 0
    /// How many bytes from `base` on belong to the file.
    private var limit: UInt64 = 0
    private(set) var offsetSize = 8
    private(set) var lengthSize = 8
    private var groupLeafK = 4
    private var groupInternalK = 16
    private var chunkK = 32

    private var visitedObjects: Set<UInt64> = []
    private var visitedNodes: Set<UInt64> = []
    private var localHeaps: [UInt64: [UInt8]] = [:]
    var fractalHeaps: [UInt64: HDF5FractalHeap] = [:]
    /// Structures read so far; a file needing more is refused instead of walked for minutes.
    private var work = 0
    private static let workLimit = 4_000_000
    private static let maxGroupDepth = 200
    private static let maxTypeDepth = 32

    init(source: HDF5ByteSource) {
        self.source = source
    }

    // MARK: Reading

    func spend(_ units: Int = 1) throws {
        work += units
        guard work <= Self.workLimit else {
            throw HDF5Damage(expected: "a file of at most \(Self.workLimit) structures",
                             found: "more (a damaged file whose structures loop or multiply)")
        }
    }

    /// `length` bytes at `address`, which must lie inside the file with all of them.
    func read(_ address: UInt64, _ length: UInt64, _ what: String) throws -> HDF5Cursor {
        try requireInside(address, length, what)
        guard length <= UInt64(Int.max), let bytes = source.read(at: base + address, length: Int(length)) else {
            throw HDF5Damage(expected: "\(what) readable at address \(address)", found: "a read error")
        }
        try spend(1 + Int(length >> 16))
        return HDF5Cursor(bytes: bytes, origin: address, what: what)
    }

    func requireInside(_ address: UInt64, _ length: UInt64, _ what: String) throws {
        guard address <= limit, length <= limit - address else {
            let end = address.addingReportingOverflow(length)
            let reach = end.overflow ? "beyond 2^64" : "at \(end.partialValue)"
            throw HDF5Damage(expected: "\(what) (\(length) bytes at address \(address)) inside the file (\(limit) bytes)",
                             found: "it ends \(reach)")
        }
    }

    /// The undefined address (all bytes 0xFF) reads as nil.
    func address(_ cursor: inout HDF5Cursor, _ field: String) throws -> UInt64? {
        let value = try cursor.unsigned(offsetSize, field)
        return value == allOnes(offsetSize) ? nil : value
    }

    /// An address the format requires to be defined.
    func definedAddress(_ cursor: inout HDF5Cursor, _ field: String) throws -> UInt64 {
        let at = cursor.address
        guard let value = try address(&cursor, field) else {
            throw HDF5Damage(expected: "a defined \(field) (at address \(at) in \(cursor.what))",
                             found: "the undefined address (all bytes 0xFF)")
        }
        return value
    }

    func length(_ cursor: inout HDF5Cursor, _ field: String) throws -> UInt64 {
        try cursor.unsigned(lengthSize, field)
    }

    private func allOnes(_ size: Int) -> UInt64 { size >= 8 ? UInt64.max : (UInt64(1) << UInt64(8 * size)) - 1 }

    private func fileOffset(_ address: UInt64) -> UInt64 { base &+ address }

    // MARK: Superblock

    private static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    func checkFile() throws {
        var superblockOffset: UInt64 = 0
        while true {
            guard superblockOffset < source.count, source.count - superblockOffset >= 8 else {
                throw HDF5Damage(expected: "the HDF5 signature", found: "none at offset 0, 512, 1024...")
            }
            if source.read(at: superblockOffset, length: 8) == Self.signature { break }
            superblockOffset = superblockOffset == 0 ? 512 : superblockOffset * 2
        }
        // libhdf5 takes the superblock's position as the base address, whatever the field says.
        base = superblockOffset
        limit = source.count - superblockOffset
        var head = try read(0, min(limit, 9), "the superblock")
        try head.skip(8, "the signature")
        let version = try head.u8("the superblock version")
        switch version {
        case 0, 1: try checkOldSuperblock(version: version)
        case 2, 3: try checkNewSuperblock()
        default:
            throw HDF5Damage(expected: "an HDF5 superblock of version 0 to 3", found: "version \(version)")
        }
    }

    private func sizes(offsets: UInt8, lengths: UInt8) throws {
        guard [2, 4, 8].contains(offsets), [2, 4, 8].contains(lengths) else {
            throw HDF5Damage(expected: "addresses and lengths of 2, 4 or 8 bytes",
                             found: "\(offsets)-byte addresses and \(lengths)-byte lengths")
        }
        offsetSize = Int(offsets)
        lengthSize = Int(lengths)
    }

    /// Whether the recorded end of the file is there; libhdf5 reads nothing past it.
    private func checkEnd(_ endOfFile: UInt64?) throws {
        guard let endOfFile else {
            throw HDF5Damage(expected: "a defined end-of-file address in the superblock", found: "the undefined address")
        }
        guard endOfFile <= limit else {
            throw HDF5Damage(expected: "a file of \(endOfFile) bytes after the superblock (its recorded end)",
                             found: "\(limit) bytes: the file is truncated")
        }
        limit = endOfFile
    }

    private func checkOldSuperblock(version: UInt8) throws {
        var fixed = try read(0, version == 0 ? 24 : 28, "the superblock")
        try fixed.skip(13, "the superblock's versions")
        let offsets = try fixed.u8("the size of addresses")
        let lengths = try fixed.u8("the size of lengths")
        try sizes(offsets: offsets, lengths: lengths)
        try fixed.skip(1, "a reserved byte")
        groupLeafK = try fixed.u16("the group leaf node K")
        groupInternalK = try fixed.u16("the group internal node K")
        guard groupLeafK > 0, groupInternalK > 0 else {
            throw HDF5Damage(expected: "positive group B-tree K values",
                             found: "leaf K \(groupLeafK), internal K \(groupInternalK)")
        }
        try fixed.skip(4, "the file consistency flags")
        if version == 1 {
            chunkK = try fixed.u16("the indexed storage K")
            guard chunkK > 0 else { throw HDF5Damage(expected: "a positive indexed storage K", found: "0") }
        }
        let entrySize = UInt64(2 * offsetSize + 24)
        var rest = try read(UInt64(fixed.consumed), UInt64(4 * offsetSize) + entrySize, "the superblock")
        _ = try address(&rest, "base address")
        let freeSpace = try address(&rest, "free-space address")
        let endOfFile = try address(&rest, "end-of-file address")
        let driverInfo = try address(&rest, "driver information block address")
        try checkEnd(endOfFile)
        if let freeSpace { try requireInside(freeSpace, 1, "the free-space information") }
        if let driverInfo {
            var driver = try read(driverInfo, 16, "the driver information block")
            try driver.skip(4, "the driver information version")
            let size = try driver.u32("the driver information size")
            try requireInside(driverInfo, 16 + size, "the driver information block")
        }
        let root = try symbolTableEntry(&rest, heap: nil)
        guard let header = root.header else {
            throw HDF5Damage(expected: "a root group object header address", found: "the undefined address")
        }
        try checkObject(at: header, path: "/", depth: 0)
    }

    private func checkNewSuperblock() throws {
        var fixed = try read(0, 12, "the superblock")
        try fixed.skip(9, "the signature and version")
        let offsets = try fixed.u8("the size of addresses")
        let lengths = try fixed.u8("the size of lengths")
        try sizes(offsets: offsets, lengths: lengths)
        var rest = try read(12, UInt64(4 * offsetSize + 4), "the superblock")
        _ = try address(&rest, "base address")
        let extensionAddress = try address(&rest, "superblock extension address")
        let endOfFile = try address(&rest, "end-of-file address")
        let root = try definedAddress(&rest, "root group object header address")
        try checkEnd(endOfFile)
        if let extensionAddress {
            let messages = try objectMessages(at: extensionAddress, path: "superblock extension")
            for message in messages where message.type == 0x13 && message.flags & 0x02 == 0 {
                var values = message.data
                _ = try values.u8("the B-tree K version")
                chunkK = try values.u16("the indexed storage K")
                groupInternalK = try values.u16("the group internal node K")
                groupLeafK = try values.u16("the group leaf node K")
                guard chunkK > 0, groupInternalK > 0, groupLeafK > 0 else {
                    throw HDF5Damage(expected: "positive B-tree K values in the superblock extension",
                                     found: "\(chunkK), \(groupInternalK), \(groupLeafK)")
                }
            }
            do {
                try checkMessages(messages, path: "superblock extension", depth: 0, followLinks: false)
            } catch var damage as HDF5Damage where damage.object == nil {
                damage.object = "superblock extension"
                throw damage
            }
        }
        try checkObject(at: root, path: "/", depth: 0)
    }

    // MARK: Object headers

    struct Message {
        let type: Int
        let flags: UInt8
        var data: HDF5Cursor
    }

    /// Checks the object at `address` and everything reachable from it.
    func checkObject(at address: UInt64, path: String, depth: Int) throws {
        guard depth <= Self.maxGroupDepth else {
            throw HDF5Damage(expected: "groups nested at most \(Self.maxGroupDepth) deep", found: "deeper nesting at \(path)")
        }
        guard visitedObjects.insert(address).inserted else { return }
        do {
            let messages = try objectMessages(at: address, path: path)
            try checkMessages(messages, path: path, depth: depth, followLinks: true)
        } catch var damage as HDF5Damage where damage.object == nil {
            damage.object = path
            throw damage
        }
    }

    /// The messages of the object header at `address`, gathered over all its continuation blocks.
    func objectMessages(at address: UInt64, path: String) throws -> [Message] {
        var probe = try read(address, min(4, limit - min(limit, address)), "the object header")
        if probe.starts(with: Array("OHDR".utf8)) { return try newObjectMessages(at: address) }
        let version = try probe.u8("the object header version")
        guard version == 1 else {
            throw HDF5Damage(expected: "an object header (version 1, or signature OHDR) at address \(address)",
                             found: "version byte \(version)")
        }
        var prefix = try read(address, 16, "the object header")
        try prefix.skip(8, "the object header version and counts")
        let size = try prefix.u32("the object header size")
        var chunks = [try read(address + 16, size, "the object header's messages")]
        var messages: [Message] = []
        var index = 0
        while index < chunks.count {
            var chunk = chunks[index]
            index += 1
            while chunk.remaining >= 8 {
                let type = try chunk.u16("a message type")
                let length = try chunk.u16("a message size")
                let flags = try chunk.u8("message flags")
                try chunk.skip(3, "reserved bytes")
                let data = try chunk.take(length, "a message", what: "a message of the object header")
                if type == 0x10 {
                    chunks.append(try continuation(data, signature: nil))
                } else {
                    messages.append(Message(type: type, flags: flags, data: data))
                }
                try spend()
            }
        }
        return messages
    }

    private func newObjectMessages(at address: UInt64) throws -> [Message] {
        var prefix = try read(address, min(6, limit - address), "the object header")
        try prefix.skip(4, "the signature")
        let version = try prefix.u8("the object header version")
        let flags = try prefix.u8("the object header flags")
        guard version == 2, flags & 0xC0 == 0 else {
            throw HDF5Damage(expected: "object header version 2 with known flags",
                             found: "version \(version), flags 0x\(String(flags, radix: 16))")
        }
        let fieldsSize = 6 + (flags & 0x20 != 0 ? 16 : 0) + (flags & 0x10 != 0 ? 4 : 0)
        let sizeBytes = 1 << Int(flags & 0x03)
        var header = try read(address, UInt64(fieldsSize + sizeBytes), "the object header")
        try header.skip(fieldsSize, "the object header's times and attribute limits")
        let size = try header.unsigned(sizeBytes, "the size of the first chunk")
        let start = address + UInt64(fieldsSize + sizeBytes)
        guard size <= UInt64.max - 4 else { throw HDF5Damage(expected: "a chunk size", found: "\(size)") }
        try requireInside(start, size + 4, "the object header's first chunk and checksum")
        let tracksOrder = flags & 0x04 != 0
        var chunks = [try read(start, size, "the object header's messages")]
        var messages: [Message] = []
        var index = 0
        let messageHeader = tracksOrder ? 6 : 4
        while index < chunks.count {
            var chunk = chunks[index]
            index += 1
            while chunk.remaining >= messageHeader {
                let type = Int(try chunk.u8("a message type"))
                let length = try chunk.u16("a message size")
                let messageFlags = try chunk.u8("message flags")
                if tracksOrder { try chunk.skip(2, "the message creation order") }
                let data = try chunk.take(length, "a message", what: "a message of the object header")
                if type == 0x10 {
                    chunks.append(try continuation(data, signature: Array("OCHK".utf8)))
                } else {
                    messages.append(Message(type: type, flags: messageFlags, data: data))
                }
                try spend()
            }
        }
        return messages
    }

    /// The block a continuation message points to (its messages only, without the signature
    /// and checksum of version 2).
    private func continuation(_ message: HDF5Cursor, signature: [UInt8]?) throws -> HDF5Cursor {
        var data = message
        landmarks?.continuationAddresses.append(fileOffset(data.address))
        let blockAddress = try definedAddress(&data, "continuation block address")
        landmarks?.continuationLengths.append(fileOffset(data.address))
        let blockLength = try length(&data, "continuation block length")
        guard visitedNodes.insert(blockAddress).inserted else {
            throw HDF5Damage(expected: "each continuation block used once",
                             found: "a second continuation to address \(blockAddress)")
        }
        var block = try read(blockAddress, blockLength, "the continuation block")
        guard let signature else { return block }
        guard blockLength >= 8, block.starts(with: signature) else {
            throw HDF5Damage(expected: "a continuation block starting with OCHK at address \(blockAddress)",
                             found: "\(blockLength) bytes without it")
        }
        try block.skip(4, "the signature")
        return try block.take(Int(blockLength) - 8, "the continuation's messages")
    }

    // MARK: Messages

    private func checkMessages(_ messages: [Message], path: String, depth: Int, followLinks: Bool) throws {
        var datatype: HDF5CheckedDatatype?
        var elements: UInt64?
        var layouts: [HDF5Cursor] = []
        var filtered = false
        var links: [(name: String, address: UInt64)] = []
        for message in messages {
            if message.flags & 0x02 != 0 {
                let target = try sharedMessageTarget(message.data)
                if message.type == 0x03 { datatype = try committedDatatype(at: target) } else {
                    _ = try objectMessages(at: target, path: path)
                }
                continue
            }
            var data = message.data
            switch message.type {
            case 0x01: elements = try dataspaceElements(&data)
            case 0x03: datatype = try self.datatype(&data, depth: 0)
            case 0x08: layouts.append(data)
            case 0x0B: filtered = true
            case 0x0C: try checkAttribute(data)
            case 0x11:
                let tree = try definedAddress(&data, "symbol table B-tree address")
                let heap = try definedAddress(&data, "symbol table local heap address")
                links += try symbolTableLinks(tree: tree, heap: heap)
            case 0x06:
                if let link = try self.link(&data) { links.append(link) }
            case 0x02: links += try denseLinks(&data)
            case 0x15: try denseAttributes(&data)
            case 0x0F:
                throw HDF5Damage(expected: "no shared object header message table (Keel does not check shared messages)",
                                 found: "one")
            default: break
            }
        }
        for layout in layouts {
            try checkLayout(layout, datatype: datatype, elements: elements, filtered: filtered)
        }
        guard followLinks else { return }
        for link in links {
            try checkObject(at: link.address, path: path == "/" ? "/" + link.name : path + "/" + link.name, depth: depth + 1)
        }
    }

    /// The object header a shared message lives in.
    private func sharedMessageTarget(_ message: HDF5Cursor) throws -> UInt64 {
        var data = message
        let version = try data.u8("the shared message version")
        let type = try data.u8("the shared message type")
        switch version {
        case 1:
            try data.skip(6 + lengthSize, "reserved bytes")
        case 2:
            break
        case 3:
            guard type != 1 else {
                throw HDF5Damage(expected: "messages stored in their object headers (Keel does not check shared-message heaps)",
                                 found: "a message in the shared-message heap")
            }
        default:
            throw HDF5Damage(expected: "shared message version 1 to 3", found: "version \(version)")
        }
        return try definedAddress(&data, "shared message object header address")
    }

    private func committedDatatype(at address: UInt64) throws -> HDF5CheckedDatatype {
        try spend()
        for message in try objectMessages(at: address, path: "committed datatype") where message.type == 0x03 {
            guard message.flags & 0x02 == 0 else {
                throw HDF5Damage(expected: "a committed datatype that holds its datatype", found: "another shared reference")
            }
            var data = message.data
            return try datatype(&data, depth: 0)
        }
        throw HDF5Damage(expected: "a datatype message in the committed datatype at address \(address)", found: "none")
    }

    // MARK: Datatypes and dataspaces

    /// Parses a datatype message, checking every nested field lies inside it.
    func datatype(_ data: inout HDF5Cursor, depth: Int) throws -> HDF5CheckedDatatype {
        guard depth <= Self.maxTypeDepth else {
            throw HDF5Damage(expected: "datatypes nested at most \(Self.maxTypeDepth) deep", found: "deeper nesting in \(data.what)")
        }
        try spend()
        let classAndVersion = try data.u8("the datatype class")
        let typeClass = classAndVersion & 0x0F
        let version = classAndVersion >> 4
        guard (1...5).contains(version) else {
            throw HDF5Damage(expected: "datatype version 1 to 5 in \(data.what)", found: "version \(version)")
        }
        let bits0 = try data.u8("the datatype class bits")
        let bits1 = try data.u8("the datatype class bits")
        try data.skip(1, "the datatype class bits")
        let size = try data.u32("the datatype size")
        func bitRange(_ offset: Int, _ precision: Int) throws {
            guard UInt64(offset) + UInt64(precision) <= size * 8 else {
                throw HDF5Damage(expected: "bits \(offset)..<\(offset + precision) within a \(size)-byte datatype in \(data.what)",
                                 found: "bits past its end")
            }
        }
        switch typeClass {
        case 0, 4:
            let offset = try data.u16("the bit offset")
            try bitRange(offset, try data.u16("the precision"))
        case 1:
            let offset = try data.u16("the bit offset")
            let precision = try data.u16("the precision")
            try bitRange(offset, precision)
            let exponentAt = Int(try data.u8("the exponent location"))
            let exponentSize = Int(try data.u8("the exponent size"))
            let mantissaAt = Int(try data.u8("the mantissa location"))
            let mantissaSize = Int(try data.u8("the mantissa size"))
            try bitRange(exponentAt, exponentSize)
            try bitRange(mantissaAt, mantissaSize)
            try data.skip(4, "the exponent bias")
        case 2:
            try data.skip(2, "the time precision")
        case 3, 7:
            break
        case 5:
            try data.skip(Int(bits0), "the opaque tag")
        case 6:
            let members = Int(bits0) | Int(bits1) << 8
            for _ in 0..<members {
                guard let memberName = data.terminatedString() else {
                    throw HDF5Damage(expected: "a NUL-terminated member name in \(data.what)", found: "none")
                }
                if version < 3 {
                    let padded = (memberName.utf8.count + 1 + 7) / 8 * 8
                    try data.skip(padded - memberName.utf8.count - 1, "the member name padding")
                }
                let offsetBytes = version >= 3 ? Self.encodedSize(size) : 4
                let offset = try data.unsigned(offsetBytes, "the member offset")
                if version == 1 { try data.skip(28, "the member's array fields") }
                let member = try datatype(&data, depth: depth + 1)
                guard offset <= size, member.size <= size - offset else {
                    throw HDF5Damage(expected: "compound member \"\(memberName)\" inside the \(size)-byte compound in \(data.what)",
                                     found: "offset \(offset), size \(member.size)")
                }
            }
        case 8:
            let members = Int(bits0) | Int(bits1) << 8
            let base = try datatype(&data, depth: depth + 1)
            for _ in 0..<members {
                guard let memberName = data.terminatedString() else {
                    throw HDF5Damage(expected: "a NUL-terminated enumeration name in \(data.what)", found: "none")
                }
                if version < 3 {
                    let padded = (memberName.utf8.count + 1 + 7) / 8 * 8
                    try data.skip(padded - memberName.utf8.count - 1, "the name padding")
                }
            }
            let values = base.size.multipliedReportingOverflow(by: UInt64(members))
            guard !values.overflow else { throw HDF5Damage(expected: "enumeration values", found: "an overflowing size") }
            _ = try data.take(values.partialValue, "the enumeration values")
        case 9:
            _ = try datatype(&data, depth: depth + 1)
            return HDF5CheckedDatatype(size: size, diskSize: UInt64(4 + offsetSize + 4), isVariableLength: true)
        case 10:
            let rank = Int(try data.u8("the array rank"))
            guard rank <= 32 else { throw HDF5Damage(expected: "an array rank of at most 32", found: "\(rank)") }
            if version < 3 { try data.skip(3, "reserved bytes") }
            try data.skip(4 * rank, "the array dimensions")
            if version < 3 { try data.skip(4 * rank, "the array permutation") }
            _ = try datatype(&data, depth: depth + 1)
        default:
            throw HDF5Damage(expected: "a known datatype class (0 to 10) in \(data.what)", found: "class \(typeClass)")
        }
        return HDF5CheckedDatatype(size: size, diskSize: size, isVariableLength: false)
    }

    /// The number of bytes libhdf5 uses to encode values up to `value`.
    static func encodedSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (63 - value.leadingZeroBitCount) / 8 + 1
    }

    /// Parses a dataspace message; returns how many elements it holds.
    func dataspaceElements(_ data: inout HDF5Cursor) throws -> UInt64 {
        let version = try data.u8("the dataspace version")
        let rank = Int(try data.u8("the dataspace rank"))
        let flags = try data.u8("the dataspace flags")
        guard rank <= 32 else { throw HDF5Damage(expected: "a dataspace rank of at most 32 in \(data.what)", found: "\(rank)") }
        var kind = rank == 0 ? 0 : 1
        switch version {
        case 1: try data.skip(5, "reserved bytes")
        case 2: kind = Int(try data.u8("the dataspace type"))
        default: throw HDF5Damage(expected: "dataspace version 1 or 2 in \(data.what)", found: "version \(version)")
        }
        var count: UInt64 = 1
        for _ in 0..<rank {
            let extent = try length(&data, "a dimension size")
            let product = count.multipliedReportingOverflow(by: extent)
            guard !product.overflow, product.partialValue <= UInt64(Int64.max) else {
                throw HDF5Damage(expected: "a dataspace of fewer than 2^63 elements in \(data.what)", found: "more")
            }
            count = product.partialValue
        }
        if flags & 0x01 != 0 { try data.skip(rank * lengthSize, "the maximum dimensions") }
        if version == 1 && flags & 0x02 != 0 { try data.skip(rank * lengthSize, "the permutation") }
        switch kind {
        case 0: return 1
        case 1: return count
        case 2: return 0
        default: throw HDF5Damage(expected: "a scalar, simple or null dataspace in \(data.what)", found: "type \(kind)")
        }
    }

    // MARK: Attributes

    /// Checks an attribute message: its name, datatype and dataspace fit the message, and the
    /// data they describe fits what is left of it (libhdf5 copies that many bytes unchecked).
    func checkAttribute(_ message: HDF5Cursor) throws {
        var data = message
        let version = try data.u8("the attribute version")
        guard (1...3).contains(version) else {
            throw HDF5Damage(expected: "attribute message version 1 to 3 in \(data.what)", found: "version \(version)")
        }
        let flags = try data.u8("the attribute flags")
        let nameSize = try data.u16("the attribute name size")
        landmarks?.attributeDatatypeFields.append(fileOffset(data.address))
        let typeSize = try data.u16("the attribute datatype size")
        let spaceSize = try data.u16("the attribute dataspace size")
        if version == 3 { try data.skip(1, "the name encoding") }
        func padded(_ size: Int) -> Int { version == 1 ? (size + 7) / 8 * 8 : size }
        var nameField = try data.take(padded(nameSize), "the attribute name")
        var name = try nameField.take(nameSize, "the attribute name")
        guard nameSize > 0, let attributeName = name.terminatedString() else {
            throw HDF5Damage(expected: "a NUL-terminated attribute name of \(nameSize) bytes in \(data.what)", found: "no NUL")
        }
        var typeField = try data.take(padded(typeSize), "the attribute datatype", what: "an attribute's datatype")
        var spaceField = try data.take(padded(spaceSize), "the attribute dataspace", what: "an attribute's dataspace")
        let type: HDF5CheckedDatatype
        var sizeField: UInt64?
        if flags & 0x01 != 0 {
            type = try committedDatatype(at: try sharedMessageTarget(typeField))
        } else {
            var typeBytes = try typeField.take(typeSize, "the attribute datatype")
            sizeField = fileOffset(typeBytes.address + 4)
            type = try datatype(&typeBytes, depth: 0)
        }
        guard flags & 0x02 == 0 else {
            throw HDF5Damage(expected: "attribute \"\(attributeName)\" with its own dataspace (Keel does not check shared dataspaces)",
                             found: "a shared dataspace")
        }
        var spaceBytes = try spaceField.take(spaceSize, "the attribute dataspace")
        let elements = try dataspaceElements(&spaceBytes)
        if let sizeField, elements > 0 { landmarks?.attributeDatatypeSizes.append(sizeField) }
        // libhdf5 sizes variable-length data by its file encoding, and strides by the declared size.
        let needed = elements.multipliedReportingOverflow(by: max(type.size, type.diskSize))
        guard !needed.overflow, needed.partialValue <= UInt64(data.remaining) else {
            let claim = needed.overflow ? "more than 2^64" : "\(needed.partialValue)"
            throw HDF5Damage(expected: "attribute \"\(attributeName)\" data (\(elements) elements of \(max(type.size, type.diskSize)) bytes) inside its message at address \(message.origin)",
                             found: "\(claim) bytes where the message holds \(data.remaining)")
        }
    }

    // MARK: Layouts

    private func checkLayout(_ message: HDF5Cursor, datatype: HDF5CheckedDatatype?, elements: UInt64?, filtered: Bool) throws {
        var data = message
        let version = try data.u8("the layout version")
        var needed: UInt64?
        if let datatype, let elements {
            let product = elements.multipliedReportingOverflow(by: datatype.diskSize)
            needed = product.overflow ? UInt64.max : product.partialValue
        }
        func fits(_ size: UInt64, _ what: String) throws {
            if let needed, needed > size {
                throw HDF5Damage(expected: "\(what) of at least \(needed) bytes (the dataset's extent)", found: "\(size) bytes")
            }
        }
        switch version {
        case 1, 2:
            let rank = Int(try data.u8("the layout rank"))
            let layoutClass = try data.u8("the layout class")
            try data.skip(5, "reserved bytes")
            guard (1...33).contains(rank) else { throw HDF5Damage(expected: "a layout rank of 1 to 33", found: "\(rank)") }
            let dataAddress = try layoutClass == 0 ? nil : address(&data, "raw data address")
            var dims: [UInt64] = []
            for _ in 0..<rank { dims.append(try data.u32("a layout dimension")) }
            switch layoutClass {
            case 0:
                let size = try data.u32("the compact data size")
                _ = try data.take(size, "the compact data")
                try fits(size, "compact data")
            case 1:
                if let dataAddress { try requireInside(dataAddress, 1, "the contiguous data") }
            case 2:
                dims.append(try data.u32("the dataset element size"))
                if let dataAddress { try checkChunks(root: dataAddress, dims: dims, filtered: filtered) }
            default:
                throw HDF5Damage(expected: "a compact, contiguous or chunked layout", found: "class \(layoutClass)")
            }
        case 3, 4:
            let layoutClass = try data.u8("the layout class")
            switch layoutClass {
            case 0:
                let size = UInt64(try data.u16("the compact data size"))
                _ = try data.take(size, "the compact data")
                try fits(size, "compact data")
            case 1:
                let dataAddress = try address(&data, "raw data address")
                let size = try length(&data, "the raw data size")
                if let dataAddress {
                    try requireInside(dataAddress, size, "the contiguous data")
                    try fits(size, "contiguous data")
                }
            case 2 where version == 3:
                let rank = Int(try data.u8("the chunk rank"))
                guard (1...33).contains(rank) else { throw HDF5Damage(expected: "a chunk rank of 1 to 33", found: "\(rank)") }
                let tree = try address(&data, "chunk B-tree address")
                var dims: [UInt64] = []
                for _ in 0..<rank { dims.append(try data.u32("a chunk dimension")) }
                if let tree { try checkChunks(root: tree, dims: dims, filtered: filtered) }
            case 2:
                try checkNewChunkIndex(&data, filtered: filtered)
            default:
                throw HDF5Damage(expected: "a compact, contiguous or chunked layout (Keel does not check virtual datasets)",
                                 found: "class \(layoutClass)")
            }
        default:
            throw HDF5Damage(expected: "layout message version 1 to 4", found: "version \(version)")
        }
    }

    private func chunkBytes(_ dims: [UInt64]) throws -> UInt64 {
        var size: UInt64 = 1
        for dim in dims {
            guard dim > 0 else { throw HDF5Damage(expected: "chunk dimensions above 0", found: "\(dims)") }
            let product = size.multipliedReportingOverflow(by: dim)
            guard !product.overflow, product.partialValue <= UInt64(UInt32.max) else {
                throw HDF5Damage(expected: "a chunk of less than 4 GiB", found: "dimensions \(dims)")
            }
            size = product.partialValue
        }
        return size
    }

    /// The chunk index of the HDF5 1.10 layout: single and implicit chunks are checked, the
    /// array and B-tree indexes are refused (no file Keras or Keel writes uses them).
    private func checkNewChunkIndex(_ data: inout HDF5Cursor, filtered: Bool) throws {
        let flags = try data.u8("the chunk flags")
        let rank = Int(try data.u8("the chunk rank"))
        let dimensionBytes = Int(try data.u8("the chunk dimension size"))
        guard (1...33).contains(rank), (1...8).contains(dimensionBytes) else {
            throw HDF5Damage(expected: "a chunk rank of 1 to 33 and dimension fields of 1 to 8 bytes",
                             found: "rank \(rank), \(dimensionBytes)-byte fields")
        }
        var dims: [UInt64] = []
        for _ in 0..<rank { dims.append(try data.unsigned(dimensionBytes, "a chunk dimension")) }
        let size = try chunkBytes(dims)
        let index = try data.u8("the chunk index type")
        switch index {
        case 1:
            var stored = size
            if flags & 0x02 != 0 {
                stored = try length(&data, "the filtered chunk size")
                try data.skip(4, "the filter mask")
            }
            if let chunk = try address(&data, "single chunk address") { try requireInside(chunk, stored, "the single chunk") }
        case 2:
            if try address(&data, "implicit chunk index address") != nil {
                throw HDF5Damage(expected: "a dataset Keel can check (implicit chunk indexes are not checked)",
                                 found: "an allocated implicit chunk index")
            }
        default:
            let skip = [3: 1, 4: 5, 5: 6][Int(index)] ?? 0
            try data.skip(skip, "the chunk index parameters")
            if try address(&data, "chunk index address") != nil {
                throw HDF5Damage(expected: "a chunk index Keel can check (version-1 B-tree or single chunk)",
                                 found: "chunk index type \(index)")
            }
        }
    }

    /// Walks a dataset's version-1 chunk B-tree; every chunk must lie inside the file.
    private func checkChunks(root: UInt64, dims: [UInt64], filtered: Bool) throws {
        let chunkSize = try chunkBytes(dims)
        let keySize = 8 + 8 * dims.count
        try walkTree(at: root, type: 1, level: nil, keySize: keySize, maxEntries: 2 * chunkK) { key, child, level in
            if level > 0 { return }
            let stored = try key.u32("the chunk size")
            let extent = filtered ? stored : max(stored, chunkSize)
            try self.requireInside(child, extent, "a chunk")
        }
    }

    /// Walks a version-1 B-tree of `type`; `visit` sees each child's left key, its address and
    /// the level of the node holding it, and must itself check level-0 children.
    func walkTree(at address: UInt64, type: UInt8, level expected: Int?, keySize: Int, maxEntries: Int,
                  visit: (inout HDF5Cursor, UInt64, Int) throws -> Void) throws {
        guard visitedNodes.insert(address).inserted else {
            throw HDF5Damage(expected: "a B-tree without cycles", found: "node \(address) reached twice")
        }
        let headerSize = UInt64(8 + 2 * offsetSize)
        var header = try read(address, headerSize, "the B-tree node")
        guard header.starts(with: Array("TREE".utf8)) else {
            throw HDF5Damage(expected: "a B-tree node (signature TREE) at address \(address)", found: "other bytes")
        }
        try header.skip(4, "the signature")
        let nodeType = try header.u8("the node type")
        let level = Int(try header.u8("the node level"))
        let entries = try header.u16("the number of entries")
        guard nodeType == type else {
            throw HDF5Damage(expected: "a B-tree node of type \(type) at address \(address)", found: "type \(nodeType)")
        }
        if let expected, level != expected {
            throw HDF5Damage(expected: "a B-tree node of level \(expected) at address \(address)", found: "level \(level)")
        }
        guard entries <= maxEntries else {
            throw HDF5Damage(expected: "at most \(maxEntries) entries in the B-tree node at address \(address)",
                             found: "\(entries)")
        }
        for sibling in ["left sibling address", "right sibling address"] {
            if let neighbour = try self.address(&header, sibling) { try requireInside(neighbour, headerSize, "the B-tree's \(sibling)") }
        }
        var body = try read(address + headerSize, UInt64(entries * (keySize + offsetSize) + keySize), "the B-tree node's entries")
        for _ in 0..<entries {
            var key = try body.take(keySize, "a B-tree key")
            if type == 0 { landmarks?.groupTreeChildren.append(fileOffset(body.address)) }
            let child = try definedAddress(&body, "B-tree child address")
            try visit(&key, child, level)
            if level > 0 {
                try walkTree(at: child, type: type, level: level - 1, keySize: keySize, maxEntries: maxEntries, visit: visit)
            }
        }
    }

    // MARK: Old-style groups

    struct SymbolEntry {
        let name: String
        let header: UInt64?
    }

    /// Reads a symbol table entry; `heap` (the group's local heap) resolves its name.
    private func symbolTableEntry(_ data: inout HDF5Cursor, heap: [UInt8]?) throws -> SymbolEntry {
        let nameField = data.address
        let nameOffset = try data.unsigned(offsetSize, "the link name offset")
        var name = ""
        if let heap {
            landmarks?.symbolNameOffsets.append((fileOffset(nameField), UInt64(heap.count)))
            name = try heapString(heap, at: nameOffset, "a link name")
        }
        let header = try address(&data, "object header address")
        let cacheType = try data.u32("the cache type")
        try data.skip(4, "reserved bytes")
        var scratch = try data.take(16, "the scratch pad")
        switch cacheType {
        case 0: break
        case 1:
            let tree = try definedAddress(&scratch, "cached B-tree address")
            let heapAddress = try definedAddress(&scratch, "cached local heap address")
            try requireInside(tree, UInt64(8 + 2 * offsetSize), "the cached B-tree")
            try requireInside(heapAddress, UInt64(8 + 2 * lengthSize + offsetSize), "the cached local heap")
        case 2:
            guard let heap else { throw HDF5Damage(expected: "no symbolic link as the root group", found: "one") }
            _ = try heapString(heap, at: try scratch.u32("the link value offset"), "a symbolic link value")
            return SymbolEntry(name: name, header: nil)
        default:
            throw HDF5Damage(expected: "cache type 0, 1 or 2 in the symbol table entry at address \(nameField)",
                             found: "type \(cacheType)")
        }
        guard header != nil else {
            throw HDF5Damage(expected: "a defined object header address for \"\(name)\" at address \(nameField + UInt64(offsetSize))",
                             found: "the undefined address (all bytes 0xFF)")
        }
        return SymbolEntry(name: name, header: header)
    }

    private func heapString(_ heap: [UInt8], at offset: UInt64, _ what: String) throws -> String {
        guard offset < UInt64(heap.count) else {
            throw HDF5Damage(expected: "\(what) at an offset inside its local heap (\(heap.count) bytes)",
                             found: "offset \(offset)")
        }
        guard let end = heap[Int(offset)...].firstIndex(of: 0) else {
            throw HDF5Damage(expected: "\(what) ending with NUL inside its local heap (\(heap.count) bytes)",
                             found: "no NUL after offset \(offset)")
        }
        return String(decoding: heap[Int(offset)..<end], as: UTF8.self)
    }

    /// The data segment of the local heap at `address`.
    private func localHeap(at address: UInt64) throws -> [UInt8] {
        if let heap = localHeaps[address] { return heap }
        var header = try read(address, UInt64(8 + 2 * lengthSize + offsetSize), "the local heap")
        guard header.starts(with: Array("HEAP".utf8)) else {
            throw HDF5Damage(expected: "a local heap (signature HEAP) at address \(address)", found: "other bytes")
        }
        try header.skip(8, "the signature and version")
        let size = try length(&header, "the heap data size")
        _ = try length(&header, "the free list offset")
        let dataAddress = try definedAddress(&header, "heap data address")
        let bytes = Array(try read(dataAddress, size, "the local heap's data").rest)
        localHeaps[address] = bytes
        return bytes
    }

    private func symbolTableLinks(tree: UInt64, heap heapAddress: UInt64) throws -> [(name: String, address: UInt64)] {
        let heap = try localHeap(at: heapAddress)
        var links: [(name: String, address: UInt64)] = []
        try walkTree(at: tree, type: 0, level: nil, keySize: lengthSize, maxEntries: 2 * groupInternalK) { key, child, level in
            _ = try self.heapString(heap, at: try self.length(&key, "a B-tree key"), "a B-tree key")
            guard level == 0 else { return }
            try self.symbolNode(at: child, heap: heap, into: &links)
        }
        return links
    }

    private func symbolNode(at address: UInt64, heap: [UInt8], into links: inout [(name: String, address: UInt64)]) throws {
        guard visitedNodes.insert(address).inserted else {
            throw HDF5Damage(expected: "each symbol node used once", found: "node \(address) reached twice")
        }
        var header = try read(address, 8, "the symbol node")
        guard header.starts(with: Array("SNOD".utf8)) else {
            throw HDF5Damage(expected: "a symbol node (signature SNOD) at address \(address)", found: "other bytes")
        }
        try header.skip(6, "the signature and version")
        let count = try header.u16("the number of symbols")
        guard count <= 2 * groupLeafK else {
            throw HDF5Damage(expected: "at most \(2 * groupLeafK) symbols in the symbol node at address \(address)", found: "\(count)")
        }
        var entries = try read(address + 8, UInt64(count * (2 * offsetSize + 24)), "the symbol node's entries")
        for _ in 0..<count {
            let entry = try symbolTableEntry(&entries, heap: heap)
            if let header = entry.header { links.append((entry.name, header)) }
        }
    }

    // MARK: Links

    /// Parses a link message; returns the target of a hard link.
    func link(_ data: inout HDF5Cursor) throws -> (name: String, address: UInt64)? {
        let version = try data.u8("the link version")
        guard version == 1 else { throw HDF5Damage(expected: "link message version 1 in \(data.what)", found: "version \(version)") }
        let flags = try data.u8("the link flags")
        let type = try flags & 0x08 != 0 ? data.u8("the link type") : 0
        if flags & 0x04 != 0 { try data.skip(8, "the creation order") }
        if flags & 0x10 != 0 { try data.skip(1, "the name encoding") }
        let nameLength = try data.unsigned(1 << Int(flags & 0x03), "the link name length")
        guard nameLength > 0 else { throw HDF5Damage(expected: "a link name in \(data.what)", found: "an empty one") }
        let name = String(decoding: try data.take(nameLength, "the link name").rest, as: UTF8.self)
        switch type {
        case 0:
            return (name, try definedAddress(&data, "address of a linked object"))
        case 1, 64...255:
            let valueLength = try data.u16("the link value length")
            _ = try data.take(valueLength, "the link value")
            return nil
        default:
            throw HDF5Damage(expected: "a hard, soft or external link in \(data.what)", found: "link type \(type)")
        }
    }

    private func denseLinks(_ data: inout HDF5Cursor) throws -> [(name: String, address: UInt64)] {
        let version = try data.u8("the link info version")
        guard version == 0 else { throw HDF5Damage(expected: "link info version 0", found: "version \(version)") }
        let flags = try data.u8("the link info flags")
        if flags & 0x01 != 0 { try data.skip(8, "the maximum creation index") }
        let heapAddress = try address(&data, "link fractal heap address")
        let nameIndex = try address(&data, "link name index address")
        let orderIndex = try flags & 0x02 != 0 ? address(&data, "link creation order index address") : nil
        guard let heapAddress else {
            guard nameIndex == nil, orderIndex == nil else {
                throw HDF5Damage(expected: "no link indexes without a link heap", found: "an index")
            }
            return []
        }
        guard let nameIndex else { throw HDF5Damage(expected: "a link name index with the link heap", found: "none") }
        let heap = try fractalHeap(at: heapAddress)
        var links: [(name: String, address: UInt64)] = []
        for var record in try v2Records(at: nameIndex, type: 5) {
            try record.skip(4, "the name hash")
            var message = try heap.object(id: record, checker: self)
            if let link = try link(&message) { links.append(link) }
        }
        if let orderIndex {
            for var record in try v2Records(at: orderIndex, type: 6) {
                try record.skip(8, "the creation order")
                var message = try heap.object(id: record, checker: self)
                _ = try link(&message)
            }
        }
        return links
    }

    private func denseAttributes(_ data: inout HDF5Cursor) throws {
        let version = try data.u8("the attribute info version")
        guard version == 0 else { throw HDF5Damage(expected: "attribute info version 0", found: "version \(version)") }
        let flags = try data.u8("the attribute info flags")
        if flags & 0x01 != 0 { try data.skip(2, "the maximum creation index") }
        let heapAddress = try address(&data, "attribute fractal heap address")
        let nameIndex = try address(&data, "attribute name index address")
        let orderIndex = try flags & 0x02 != 0 ? address(&data, "attribute creation order index address") : nil
        guard let heapAddress else {
            guard nameIndex == nil, orderIndex == nil else {
                throw HDF5Damage(expected: "no attribute indexes without an attribute heap", found: "an index")
            }
            return
        }
        guard let nameIndex else { throw HDF5Damage(expected: "an attribute name index with the attribute heap", found: "none") }
        let heap = try fractalHeap(at: heapAddress)
        let indexes: [(UInt64?, UInt8)] = [(nameIndex, 8), (orderIndex, 9)]
        for (index, type) in indexes {
            guard let index else { continue }
            for record in try v2Records(at: index, type: type) {
                var fields = record
                let id = try fields.take(8, "the attribute heap ID")
                let messageFlags = try fields.u8("the attribute message flags")
                guard messageFlags & 0x02 == 0 else {
                    throw HDF5Damage(expected: "attributes stored in the object's heap (Keel does not check shared attributes)",
                                     found: "a shared attribute")
                }
                try checkAttribute(try heap.object(id: id, checker: self))
            }
        }
    }

    func fractalHeap(at address: UInt64) throws -> HDF5FractalHeap {
        if let heap = fractalHeaps[address] { return heap }
        let heap = try HDF5FractalHeap(at: address, checker: self)
        fractalHeaps[address] = heap
        return heap
    }

    func markVisited(_ address: UInt64, _ what: String) throws {
        guard visitedNodes.insert(address).inserted else {
            throw HDF5Damage(expected: "\(what) used once", found: "address \(address) reached twice")
        }
    }
}

/// What the check needs of a datatype: its declared size, and the size of one element as
/// stored in the file (a variable-length value is stored as a length and a heap reference).
struct HDF5CheckedDatatype {
    let size: UInt64
    let diskSize: UInt64
    let isVariableLength: Bool
}
