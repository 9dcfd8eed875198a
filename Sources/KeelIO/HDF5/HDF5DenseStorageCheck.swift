/// A fractal heap, the store of new-style groups' links and of attributes once an object has
/// many (files Keel writes have them). Opening one walks its whole doubling table: every
/// direct block must lie inside the file and point back at this heap, so an object found by
/// its heap ID is read from checked bytes only.
struct HDF5FractalHeap {
    private struct Block {
        let offset: UInt64
        let size: UInt64
        let address: UInt64
        let headerSize: UInt64
    }

    let address: UInt64
    private let idLength: Int
    private let width: UInt64
    private let startBlock: UInt64
    private let maxDirectRows: Int
    private let offsetBytes: Int
    private let lengthBytes: Int
    private let blockHeaderSize: UInt64
    private let hugeIDsAreDirect: Bool
    private var blocks: [Block] = []
    private var hugeObjects: [UInt64: (address: UInt64, length: UInt64)] = [:]

    init(at address: UInt64, checker: HDF5StructureChecker) throws {
        self.address = address
        let offsetSize = checker.offsetSize
        let lengthSize = checker.lengthSize
        var header = try checker.read(address, UInt64(22 + 12 * lengthSize + 3 * offsetSize), "the fractal heap header")
        guard header.starts(with: Array("FRHP".utf8)) else {
            throw HDF5Damage(expected: "a fractal heap (signature FRHP) at address \(address)", found: "other bytes")
        }
        try header.skip(4, "the signature")
        let version = try header.u8("the heap version")
        idLength = try header.u16("the heap ID length")
        let filterLength = try header.u16("the I/O filter length")
        let flags = try header.u8("the heap flags")
        let maxManaged = try header.u32("the maximum managed object size")
        _ = try checker.length(&header, "the next huge object ID")
        let hugeTree = try checker.address(&header, "huge object B-tree address")
        _ = try checker.length(&header, "the free space")
        let freeSpaceManager = try checker.address(&header, "free-space manager address")
        for field in ["managed space", "allocated managed space", "allocation iterator offset", "managed object count",
                      "huge object size", "huge object count", "tiny object size", "tiny object count"] {
            _ = try checker.length(&header, "the \(field)")
        }
        width = UInt64(try header.u16("the table width"))
        startBlock = try checker.length(&header, "the starting block size")
        let maxDirect = try checker.length(&header, "the maximum direct block size")
        let maxHeapBits = try header.u16("the maximum heap size")
        _ = try header.u16("the starting row count")
        let root = try checker.address(&header, "root block address")
        let rows = try header.u16("the current row count")
        guard version == 0 else { throw HDF5Damage(expected: "fractal heap version 0", found: "version \(version)") }
        guard filterLength == 0 else {
            throw HDF5Damage(expected: "a fractal heap without I/O filters (Keel does not check filtered heaps)",
                             found: "a filtered heap at address \(address)")
        }
        func isPowerOfTwo(_ value: UInt64) -> Bool { value > 0 && value & (value - 1) == 0 }
        guard isPowerOfTwo(width), isPowerOfTwo(startBlock), isPowerOfTwo(maxDirect), maxDirect >= startBlock,
              (1...64).contains(maxHeapBits), maxManaged > 0, rows <= 64, idLength >= 2 else {
            throw HDF5Damage(expected: "a consistent fractal heap header at address \(address)",
                             found: "table width \(width), block sizes \(startBlock)...\(maxDirect), \(maxHeapBits)-bit heap, \(rows) rows, \(idLength)-byte IDs")
        }
        let startBits = startBlock.trailingZeroBitCount
        maxDirectRows = maxDirect.trailingZeroBitCount - startBits + 2
        offsetBytes = (maxHeapBits + 7) / 8
        lengthBytes = min((maxDirect.trailingZeroBitCount + 7) / 8, HDF5StructureChecker.encodedSize(maxManaged))
        blockHeaderSize = UInt64(5 + offsetSize + offsetBytes + (flags & 0x02 != 0 ? 4 : 0))
        hugeIDsAreDirect = idLength >= 1 + offsetSize + lengthSize
        guard startBits + rows + width.trailingZeroBitCount < 64 else {
            throw HDF5Damage(expected: "a fractal heap smaller than 2^64 bytes", found: "\(rows) rows of width \(width)")
        }
        if let freeSpaceManager { try checker.requireInside(freeSpaceManager, 8, "the heap's free-space manager") }
        if let root {
            if rows == 0 {
                try collectDirect(root, offset: 0, size: startBlock, checker: checker)
            } else {
                try collectIndirect(root, offset: 0, rows: rows, depth: 0, checker: checker)
            }
        }
        blocks.sort { $0.offset < $1.offset }
        if let hugeTree {
            for var record in try checker.v2Records(at: hugeTree, type: 1) {
                let objectAddress = try checker.definedAddress(&record, "huge object address")
                let objectLength = try checker.length(&record, "huge object length")
                let id = try checker.length(&record, "huge object ID")
                try checker.requireInside(objectAddress, objectLength, "a huge heap object")
                hugeObjects[id] = (objectAddress, objectLength)
            }
        }
    }

    private func rowBlockSize(_ row: Int) -> UInt64 { row == 0 ? startBlock : startBlock << UInt64(row - 1) }
    private func rowOffset(_ row: Int) -> UInt64 { row == 0 ? 0 : width * (startBlock << UInt64(row - 1)) }

    private mutating func collectDirect(_ blockAddress: UInt64, offset: UInt64, size: UInt64,
                                        checker: HDF5StructureChecker) throws {
        try checker.markVisited(blockAddress, "each fractal heap block")
        try checker.requireInside(blockAddress, size, "a fractal heap direct block")
        guard size >= blockHeaderSize else {
            throw HDF5Damage(expected: "heap blocks larger than their headers", found: "\(size) bytes")
        }
        var header = try checker.read(blockAddress, blockHeaderSize, "the fractal heap direct block")
        try checkBlockHeader(&header, signature: "FHDB", offset: offset, checker: checker)
        blocks.append(Block(offset: offset, size: size, address: blockAddress, headerSize: blockHeaderSize))
    }

    private mutating func collectIndirect(_ blockAddress: UInt64, offset: UInt64, rows: Int, depth: Int,
                                          checker: HDF5StructureChecker) throws {
        guard depth <= 64, (1...64).contains(rows) else {
            throw HDF5Damage(expected: "fractal heap indirect blocks of 1 to 64 rows, nested at most 64 deep",
                             found: "\(rows) rows at depth \(depth)")
        }
        try checker.markVisited(blockAddress, "each fractal heap block")
        let entries = UInt64(rows) * width
        let size = UInt64(5 + checker.offsetSize + offsetBytes) + entries * UInt64(checker.offsetSize) + 4
        var block = try checker.read(blockAddress, size, "the fractal heap indirect block")
        try checkBlockHeader(&block, signature: "FHIB", offset: offset, checker: checker)
        let firstRowBits = startBlock.trailingZeroBitCount + width.trailingZeroBitCount
        for row in 0..<rows {
            for column in 0..<width {
                guard let child = try checker.address(&block, "heap block address") else { continue }
                try checker.spend()
                let childOffset = offset + rowOffset(row) + column * rowBlockSize(row)
                if row < maxDirectRows {
                    try collectDirect(child, offset: childOffset, size: rowBlockSize(row), checker: checker)
                } else {
                    let childRows = rowBlockSize(row).trailingZeroBitCount - firstRowBits + 1
                    try collectIndirect(child, offset: childOffset, rows: childRows, depth: depth + 1, checker: checker)
                }
            }
        }
    }

    private func checkBlockHeader(_ header: inout HDF5Cursor, signature: String, offset: UInt64,
                                  checker: HDF5StructureChecker) throws {
        guard header.starts(with: Array(signature.utf8)) else {
            throw HDF5Damage(expected: "a heap block (signature \(signature)) in \(header.what)", found: "other bytes")
        }
        try header.skip(5, "the signature and version")
        let owner = try checker.address(&header, "heap header address")
        let recorded = try header.unsigned(offsetBytes, "the block offset")
        guard owner == address, recorded == offset else {
            throw HDF5Damage(expected: "a block of the heap at \(address) at heap offset \(offset) in \(header.what)",
                             found: "heap \(owner.map(String.init) ?? "undefined"), offset \(recorded)")
        }
    }

    /// The object a heap ID names, read from inside the block that holds it.
    func object(id: HDF5Cursor, checker: HDF5StructureChecker) throws -> HDF5Cursor {
        var fields = try id.peekCopy(length: idLength, "a heap ID")
        let flags = try fields.u8("the heap ID flags")
        guard flags >> 6 == 0 else { throw HDF5Damage(expected: "heap ID version 0", found: "version \(flags >> 6)") }
        let what = "an object in a fractal heap"
        switch (flags >> 4) & 0x03 {
        case 0:
            let offset = try fields.unsigned(offsetBytes, "the object offset")
            let length = try fields.unsigned(lengthBytes, "the object length")
            guard let block = blocks.last(where: { $0.offset <= offset }), offset - block.offset < block.size,
                  offset - block.offset >= block.headerSize, length > 0, length <= block.size - (offset - block.offset) else {
                throw HDF5Damage(expected: "a heap object inside one of the heap's blocks (heap at address \(address))",
                                 found: "\(length) bytes at heap offset \(offset)")
            }
            return try checker.read(block.address + (offset - block.offset), length, what)
        case 1:
            if hugeIDsAreDirect {
                let objectAddress = try checker.definedAddress(&fields, "huge object address")
                return try checker.read(objectAddress, try checker.length(&fields, "huge object length"), what)
            }
            let key = try fields.unsigned(min(idLength - 1, checker.lengthSize), "the huge object ID")
            guard let object = hugeObjects[key] else {
                throw HDF5Damage(expected: "huge object \(key) listed in the heap's huge-object B-tree", found: "no such object")
            }
            return try checker.read(object.address, object.length, what)
        case 2:
            var length = Int(flags & 0x0F)
            if idLength > 18 { length = length << 8 | Int(try fields.u8("the tiny object length")) }
            return try fields.take(length + 1, "a tiny object", what: what)
        default:
            throw HDF5Damage(expected: "a managed, huge or tiny heap ID", found: "ID type 3")
        }
    }
}

extension HDF5Cursor {
    /// A copy of the next `length` bytes as a cursor of their own, leaving this one where it is.
    func peekCopy(length: Int, _ field: String) throws -> HDF5Cursor {
        var copy = self
        return try copy.take(length, field)
    }
}

extension HDF5StructureChecker {
    /// Every record of the version-2 B-tree at `address`, whose type must be `type`; every node
    /// must lie inside the file and hold no more records than its size allows.
    func v2Records(at address: UInt64, type: UInt8) throws -> [HDF5Cursor] {
        var header = try read(address, UInt64(16 + offsetSize + 2 + lengthSize), "the v2 B-tree header")
        guard header.starts(with: Array("BTHD".utf8)) else {
            throw HDF5Damage(expected: "a v2 B-tree (signature BTHD) at address \(address)", found: "other bytes")
        }
        try header.skip(4, "the signature")
        let version = try header.u8("the B-tree version")
        let treeType = try header.u8("the B-tree type")
        let nodeSize = try header.u32("the node size")
        let recordSize = UInt64(try header.u16("the record size"))
        let depth = try header.u16("the tree depth")
        try header.skip(2, "the split and merge percentages")
        let root = try self.address(&header, "root node address")
        let rootCount = UInt64(try header.u16("the root record count"))
        guard version == 0, treeType == type else {
            throw HDF5Damage(expected: "a version-0 v2 B-tree of type \(type) at address \(address)",
                             found: "version \(version), type \(treeType)")
        }
        guard recordSize > 0, nodeSize > 10 + recordSize, depth <= 32 else {
            throw HDF5Damage(expected: "a v2 B-tree whose nodes hold records at address \(address)",
                             found: "\(nodeSize)-byte nodes, \(recordSize)-byte records, depth \(depth)")
        }
        var maxRecords = [(nodeSize - 10) / recordSize]
        let countSize = Self.encodedSize(maxRecords[0])
        var cumulative = [maxRecords[0]]
        var totalSizes = [0]
        for level in stride(from: 1, through: depth, by: 1) {
            let pointer = UInt64(offsetSize + countSize + totalSizes[level - 1])
            guard nodeSize > 10 + pointer, (nodeSize - 10 - pointer) / (recordSize + pointer) >= 1 else {
                throw HDF5Damage(expected: "a v2 B-tree whose internal nodes hold records at address \(address)",
                                 found: "\(nodeSize)-byte nodes at depth \(depth)")
            }
            let most = (nodeSize - 10 - pointer) / (recordSize + pointer)
            maxRecords.append(most)
            let grown = (most + 1).multipliedReportingOverflow(by: cumulative[level - 1])
            let total = grown.partialValue.addingReportingOverflow(most)
            cumulative.append(grown.overflow || total.overflow ? UInt64.max : total.partialValue)
            totalSizes.append(Self.encodedSize(cumulative[level]))
        }
        guard let root else {
            guard rootCount == 0 else {
                throw HDF5Damage(expected: "an empty v2 B-tree at address \(address) to have no records", found: "\(rootCount)")
            }
            return []
        }
        var records: [HDF5Cursor] = []
        func walk(_ node: UInt64, count: UInt64, depth: Int) throws {
            try markVisited(node, "each v2 B-tree node")
            guard count <= maxRecords[depth] else {
                throw HDF5Damage(expected: "at most \(maxRecords[depth]) records in the v2 B-tree node at address \(node)",
                                 found: "\(count)")
            }
            var body = try read(node, nodeSize, "the v2 B-tree node")
            let signature = depth == 0 ? "BTLF" : "BTIN"
            guard body.starts(with: Array(signature.utf8)) else {
                throw HDF5Damage(expected: "a v2 B-tree node (signature \(signature)) at address \(node)", found: "other bytes")
            }
            try body.skip(6, "the signature, version and type")
            for _ in 0..<count { records.append(try body.take(recordSize, "a B-tree record")) }
            guard depth > 0 else { return }
            for _ in 0...count {
                let child = try definedAddress(&body, "v2 B-tree child address")
                let childCount = try body.unsigned(countSize, "the child's record count")
                if depth > 1 { try body.skip(totalSizes[depth - 1], "the child's total record count") }
                try walk(child, count: childCount, depth: depth - 1)
            }
        }
        try walk(root, count: rootCount, depth: depth)
        return records
    }
}
