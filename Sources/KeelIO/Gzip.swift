#if canImport(Glibc)
import Glibc
#endif
internal import CKeelZlib

/// gzip streams (RFC 1952) through zlib: the IDX datasets ship gzipped, and writers may want to
/// produce `.gz` files. A stream is only accepted once zlib has checked its CRC-32 and length
/// trailer, so a truncated or corrupted file is an error rather than a silently short result.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed content of the gzip file at `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        try decompress(FileBytes.read(path, what: "gzip file"), name: path)
    }

    /// Writes `bytes` gzip-compressed to `path`, atomically.
    public static func write(_ bytes: [UInt8], to path: String, level: Int = 6) throws {
        try AtomicFile.write(compress(bytes, level: level), to: path)
    }

    /// Decompresses a gzip stream (several concatenated members are allowed, as gunzip does).
    /// `name` identifies the data in errors, usually the file it came from.
    public static func decompress(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "a gzip stream", found: "an empty file")
        }
        guard isCompressed(bytes) else {
            throw KeelError(name, expected: "gzip magic 1f 8b",
                            found: "\(hexPrefix(bytes)) (not a gzip stream)")
        }
        let output = GrowableBuffer(capacity: expectedDecompressedSize(of: bytes))
        var stream = z_stream()
        guard keel_inflate_init2(&stream, 15 + 16) == Z_OK else {
            throw KeelError(name, expected: "zlib to start decompressing", found: "zlib could not allocate its state")
        }
        defer { inflateEnd(&stream) }

        try bytes.withUnsafeBufferPointer { input in
            guard let inputBase = input.baseAddress else { return }
            var consumed = 0
            var memberEnded = false
            while true {
                if stream.avail_in == 0 && consumed < input.count {
                    let chunk = min(input.count - consumed, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: inputBase + consumed)
                    stream.avail_in = UInt32(chunk)
                    consumed += chunk
                }
                if memberEnded {
                    let remaining = input.count - consumed + Int(stream.avail_in)
                    if remaining == 0 { return }
                    let offset = input.count - remaining
                    guard remaining >= 2, input[offset] == 0x1f, input[offset + 1] == 0x8b else {
                        throw KeelError(name, expected: "the end of the gzip stream or another gzip member",
                                        found: "\(remaining) trailing bytes at offset \(offset)")
                    }
                    inflateReset(&stream)
                    memberEnded = false
                }
                if output.freeCount == 0 { output.grow() }
                let chunk = min(output.freeCount, Int(UInt32.max))
                stream.next_out = output.freeStart
                stream.avail_out = UInt32(chunk)
                let status = inflate(&stream, Z_NO_FLUSH)
                output.count += chunk - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    memberEnded = true
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_out == 0 || stream.avail_in == 0 && consumed < input.count:
                    continue
                case Z_BUF_ERROR:
                    throw KeelError(name, expected: "a complete gzip stream ending in its CRC-32 and length trailer",
                                    found: "the stream cut off after \(input.count) bytes (truncated file)")
                case Z_MEM_ERROR:
                    throw KeelError(name, expected: "memory to decompress into", found: "zlib ran out of memory")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    let offset = consumed - Int(stream.avail_in)
                    throw KeelError(name, expected: "valid gzip data",
                                    found: "corrupt data near byte \(offset): \(reason)")
                }
            }
        }
        return output.array()
    }

    /// Compresses `bytes` into one gzip member. `level` is zlib's 0 (store) ... 9 (smallest).
    public static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
        var stream = z_stream()
        let status = keel_deflate_init2(&stream, Int32(max(0, min(9, level))), 15 + 16, 8)
        precondition(status == Z_OK, "zlib deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 64
        let output = GrowableBuffer(capacity: bound)
        bytes.withUnsafeBufferPointer { input in
            var consumed = 0
            var finished = false
            while !finished {
                if stream.avail_in == 0, let base = input.baseAddress, consumed < input.count {
                    let chunk = min(input.count - consumed, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                    stream.avail_in = UInt32(chunk)
                    consumed += chunk
                }
                if output.freeCount == 0 { output.grow() }
                let chunk = min(output.freeCount, Int(UInt32.max))
                stream.next_out = output.freeStart
                stream.avail_out = UInt32(chunk)
                let flush = consumed == input.count ? Z_FINISH : Z_NO_FLUSH
                let result = deflate(&stream, flush)
                output.count += chunk - Int(stream.avail_out)
                precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
                             "zlib deflate failed with status \(result)")
                finished = result == Z_STREAM_END
            }
        }
        return output.array()
    }

    /// The size the gzip trailer announces (modulo 2^32), bounded by what deflate can expand
    /// to, so a corrupt trailer cannot make us reserve an absurd amount of memory up front.
    private static func expectedDecompressedSize(of bytes: [UInt8]) -> Int {
        let deflateMaximumRatio = 1032
        let bound = bytes.count.multipliedReportingOverflow(by: deflateMaximumRatio)
        let ceiling = bound.overflow ? Int.max : bound.partialValue
        guard bytes.count >= 4 else { return 4096 }
        let announced = bytes[(bytes.count - 4)...].reversed().reduce(0) { $0 << 8 | Int($1) }
        let guess = announced > 0 ? announced + 1 : bytes.count * 4
        return max(4096, min(guess, ceiling))
    }

    static func hexPrefix(_ bytes: [UInt8], count: Int = 8) -> String {
        bytes.prefix(count).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: " ")
    }
}

/// A malloc'd byte buffer that doubles when full, so zlib can write straight into it without
/// Swift zero-filling or re-copying what was already produced.
private final class GrowableBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        guard let memory = malloc(self.capacity) else {
            fatalError("out of memory reserving \(self.capacity) bytes")
        }
        storage = memory.assumingMemoryBound(to: UInt8.self)
    }

    var freeCount: Int { capacity - count }
    var freeStart: UnsafeMutablePointer<UInt8> { storage + count }

    deinit { free(storage) }

    func grow() {
        let newCapacity = capacity * 2
        guard let memory = realloc(storage, newCapacity) else {
            fatalError("out of memory growing a buffer to \(newCapacity) bytes")
        }
        storage = memory.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    func array() -> [UInt8] {
        Array(UnsafeBufferPointer(start: storage, count: count))
    }
}
