#if canImport(Glibc)
import Glibc
#endif

/// Something in a file's structure that libhdf5 must not be handed. `object` is filled in by
/// the object being checked when the damage surfaces, so the message can name it.
struct HDF5Damage: Error {
    var object: String?
    let expected: String
    let found: String

    init(expected: String, found: String) {
        self.expected = expected
        self.found = found
    }
}

/// Where the structure check reads the file from: the file itself, piece by piece, or a copy
/// in memory (the fuzz tests check thousands of variants without touching the disk).
protocol HDF5ByteSource {
    var count: UInt64 { get }
    /// `length` bytes at `offset`, or nil when they are not all there.
    func read(at offset: UInt64, length: Int) -> [UInt8]?
}

struct HDF5MemoryBytes: HDF5ByteSource {
    let storage: [UInt8]
    var count: UInt64 { UInt64(storage.count) }

    func read(at offset: UInt64, length: Int) -> [UInt8]? {
        guard length >= 0, offset <= count, UInt64(length) <= count - offset else { return nil }
        let start = Int(offset)
        return Array(storage[start..<start + length])
    }
}

struct HDF5DescriptorBytes: HDF5ByteSource {
    let descriptor: Int32
    let count: UInt64

    func read(at offset: UInt64, length: Int) -> [UInt8]? {
        guard length >= 0, offset <= count, UInt64(length) <= count - offset else { return nil }
        guard length > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: length)
        let complete = buffer.withUnsafeMutableBytes { raw -> Bool in
            guard let start = raw.baseAddress else { return false }
            var done = 0
            while done < length {
                let got = pread(descriptor, start + done, length - done, off_t(offset) + off_t(done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        return complete ? buffer : nil
    }
}

/// Reads little-endian fields out of one structure read from the file; every read is checked
/// against the structure's end, so damaged sizes surface as `HDF5Damage`, never as a trap.
struct HDF5Cursor {
    private let bytes: [UInt8]
    private let first: Int
    private(set) var position: Int
    private let end: Int
    /// The file address (relative to the superblock) of `bytes[first]`.
    let origin: UInt64
    /// The structure, named only when an error needs it (formatting names up front would
    /// dominate the cost of the check).
    private let label: String
    private let labelAddress: UInt64
    /// The structure, in words ("the object header at address 96").
    var what: String { "\(label) at address \(labelAddress)" }

    init(bytes: [UInt8], origin: UInt64, what label: String) {
        self.bytes = bytes
        self.first = 0
        self.position = 0
        self.end = bytes.count
        self.origin = origin
        self.label = label
        self.labelAddress = origin
    }

    private init(bytes: [UInt8], first: Int, end: Int, origin: UInt64, label: String, labelAddress: UInt64) {
        self.bytes = bytes
        self.first = first
        self.position = first
        self.end = end
        self.origin = origin
        self.label = label
        self.labelAddress = labelAddress
    }

    var remaining: Int { end - position }
    var consumed: Int { position - first }
    /// The file address of the next byte.
    var address: UInt64 { origin &+ UInt64(position - first) }

    private func need(_ count: Int, _ field: String) throws {
        guard count >= 0, count <= remaining else {
            throw HDF5Damage(expected: "\(field) inside \(what)",
                             found: "it needs \(count) bytes at address \(address), where \(remaining) remain")
        }
    }

    mutating func u8(_ field: String) throws -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16(_ field: String) throws -> Int { Int(try unsigned(2, field)) }
    mutating func u32(_ field: String) throws -> UInt64 { try unsigned(4, field) }

    /// A little-endian unsigned field of `size` bytes (1...8).
    mutating func unsigned(_ size: Int, _ field: String) throws -> UInt64 {
        guard (0...8).contains(size) else {
            throw HDF5Damage(expected: "\(field) of at most 8 bytes in \(what)", found: "a field of \(size) bytes")
        }
        try need(size, field)
        var value: UInt64 = 0
        for index in 0..<size { value |= UInt64(bytes[position + index]) << UInt64(8 * index) }
        position += size
        return value
    }

    mutating func skip(_ count: Int, _ field: String) throws {
        try need(count, field)
        position += count
    }

    /// The next `count` bytes as a cursor of their own, describing `what`.
    mutating func take(_ count: Int, _ field: String, what: String? = nil) throws -> HDF5Cursor {
        try need(count, field)
        let part = HDF5Cursor(bytes: bytes, first: position, end: position + count, origin: address,
                              label: what ?? label, labelAddress: what == nil ? labelAddress : address)
        position += count
        return part
    }

    mutating func take(_ count: UInt64, _ field: String, what: String? = nil) throws -> HDF5Cursor {
        guard count <= UInt64(remaining) else {
            throw HDF5Damage(expected: "\(field) inside \(what ?? self.what)",
                             found: "it claims \(count) bytes at address \(address), where \(remaining) remain")
        }
        return try take(Int(count), field, what: what)
    }

    /// Whether the next bytes are `signature` (without consuming them).
    func starts(with signature: [UInt8]) -> Bool {
        guard remaining >= signature.count else { return false }
        return Array(bytes[position..<position + signature.count]) == signature
    }

    /// The bytes from here up to (not including) the first NUL, or nil when none comes before
    /// the end; the NUL is consumed too.
    mutating func terminatedString() -> String? {
        guard let nul = bytes[position..<end].firstIndex(of: 0) else { return nil }
        defer { position = nul + 1 }
        return String(decoding: bytes[position..<nul], as: UTF8.self)
    }

    /// The remaining bytes (for signatures and names in messages).
    var rest: ArraySlice<UInt8> { bytes[position..<end] }
}
