import Foundation
import KeelIO

/// The file `Dataset.cache(file:)` keeps: a magic line, then each element as a tree of tagged
/// nodes (little-endian): leaf tags carry a shape and their values, tuples a count, dictionaries
/// a count and keys; an end tag with the element count and the CRC-32 of all bytes before it closes
/// /// it, so a cut or damaged file is noticed before any element is used. It is Keel's own scratch
/// format, read back only by Keel; every length is also checked against what is left of the
/// file, so a damaged cache is an error, never a crash.
enum DatasetCacheFormat {
    static let magic = Array("KEEL-DATASET-CACHE-1\n".utf8)
    enum Tag: UInt8 { case float32 = 0, int32 = 1, bytes = 2, strings = 3, tuple = 4, dict = 5, end = 255 }
    static let maxRank = 32
    static let maxNesting = 64
}

final class CacheFileWriter {
    let path: String
    let temporary: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var count: UInt64 = 0
    private var crc: UInt32 = 0

    init(path: String) throws {
        self.path = path
        temporary = path + ".part-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw KeelError("Dataset cache file \(path)", expected: "a file that can be written", found: String(cString: strerror(errno)))
        }
        self.handle = handle
        buffer = DatasetCacheFormat.magic
    }

    deinit {
        if let handle {
            fclose(handle)
            unlink(temporary)
        }
    }

    func append(_ element: DataElement) throws {
        encode(element)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    func complete() throws {
        buffer.append(DatasetCacheFormat.Tag.end.rawValue)
        word(count)
        crc = buffer.withUnsafeBytes { CRC32.checksum($0, continuing: crc) }
        let checksum = crc
        word(checksum)
        try flush(checksummed: false)
        guard let handle else { return }
        self.handle = nil
        guard fclose(handle) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KeelError("Dataset cache file \(path)", expected: "the completed cache renamed into place",
                            found: String(cString: strerror(errno)))
        }
    }

    private func flush(checksummed: Bool = true) throws {
        guard let handle, !buffer.isEmpty else { return }
        if checksummed { crc = buffer.withUnsafeBytes { CRC32.checksum($0, continuing: crc) } }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == buffer.count else {
            throw KeelError("Dataset cache file \(path)", expected: "\(buffer.count) bytes written", found: "\(written)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func word<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func text(_ string: String) {
        let utf8 = Array(string.utf8)
        word(UInt32(utf8.count))
        buffer.append(contentsOf: utf8)
    }

    private func leaf(_ tag: DatasetCacheFormat.Tag, shape: [Int]) {
        buffer.append(tag.rawValue)
        word(UInt8(shape.count))
        for d in shape { word(UInt64(d)) }
    }

    private func encode(_ element: DataElement) {
        switch element {
        case .tensor(let t):
            leaf(t.dtype == .int32 ? .int32 : .float32, shape: t.shape)
            buffer.append(contentsOf: UnsafeRawBufferPointer(start: t.storage.pointer, count: t.count &* 4))
        case .bytes(let b):
            leaf(.bytes, shape: b.shape)
            buffer.append(contentsOf: b.bytes)
        case .strings(let s):
            leaf(.strings, shape: s.shape)
            for string in s.strings { text(string) }
        case .tuple(let items):
            buffer.append(DatasetCacheFormat.Tag.tuple.rawValue)
            word(UInt32(items.count))
            for item in items { encode(item) }
        case .dict(let pairs):
            buffer.append(DatasetCacheFormat.Tag.dict.rawValue)
            word(UInt32(pairs.count))
            for pair in pairs {
                text(pair.key)
                encode(pair.value)
            }
        }
    }
}

/// Reads a cache file element by element (the whole file is mapped in memory by the system,
/// not copied: large caches stream).
final class CacheFileReader: ElementIterator {
    let path: String
    private let data: Data
    private var offset: Int
    private var count: UInt64 = 0
    private var ended = false

    init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw KeelError("Dataset cache file \(path)", expected: "a readable file", found: "\(error.localizedDescription)")
        }
        guard data.count >= DatasetCacheFormat.magic.count, Array(data.prefix(DatasetCacheFormat.magic.count)) == DatasetCacheFormat.magic else {
            throw KeelError("Dataset cache file \(path)", expected: "a Keel dataset cache (it starts with its magic line)",
                            found: "\(data.count) bytes of something else")
        }
        offset = DatasetCacheFormat.magic.count
        let trailer = 1 + 8 + 4
        guard data.count >= offset + trailer else { throw damaged("an end mark and checksum") }
        let stored = data.suffix(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
        let computed = data.prefix(data.count - 4).withUnsafeBytes { CRC32.checksum($0) }
        guard stored == computed else { throw damaged("CRC-32 \(stored) of its contents, found \(computed)") }
    }

    func next() throws -> DataElement? {
        guard !ended else { return nil }
        guard offset < data.count else { throw damaged("the end mark after \(count) elements") }
        if data[data.startIndex + offset] == DatasetCacheFormat.Tag.end.rawValue {
            offset += 1
            let total = try word(UInt64.self)
            guard total == count, offset == data.count - 4 else { throw damaged("\(total) elements and then the end of the file") }
            ended = true
            return nil
        }
        count += 1
        return try decode(nesting: 0)
    }

    private func damaged(_ what: String) -> KeelError {
        KeelError("Dataset cache file \(path) at byte \(offset)", expected: what, found: "a damaged or truncated file (delete it to rebuild the cache)")
    }

    private func bytes(_ count: Int) throws -> Data {
        guard count >= 0, count <= data.count - offset else { throw damaged("\(count) more bytes") }
        defer { offset += count }
        return data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + count))
    }

    private func word<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let raw = try bytes(MemoryLayout<T>.size)
        return T(littleEndian: raw.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
    }

    private func text() throws -> String {
        let count = Int(try word(UInt32.self))
        return String(decoding: try bytes(count), as: UTF8.self)
    }

    private func shape() throws -> [Int] {
        let rank = Int(try word(UInt8.self))
        guard rank <= DatasetCacheFormat.maxRank else { throw damaged("a rank of at most \(DatasetCacheFormat.maxRank)") }
        var shape: [Int] = []
        var total = 1
        for _ in 0..<rank {
            let d = try word(UInt64.self)
            guard d <= UInt64(data.count) else { throw damaged("a dimension no larger than the file") }
            shape.append(Int(d))
            let (product, overflow) = total.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= data.count else { throw damaged("a shape that fits in the file") }
            total = product
        }
        return shape
    }

    private func decode(nesting: Int) throws -> DataElement {
        guard nesting < DatasetCacheFormat.maxNesting else { throw damaged("at most \(DatasetCacheFormat.maxNesting) nested levels") }
        guard let tag = DatasetCacheFormat.Tag(rawValue: try word(UInt8.self)) else { throw damaged("an element tag") }
        switch tag {
        case .float32, .int32:
            let shape = try shape()
            let count = shape.reduce(1, *)
            let raw = try bytes(count &* 4)
            let t = Tensor(uninitializedShape: shape, dtype: tag == .int32 ? .int32 : .float32)
            raw.withUnsafeBytes { source in
                if let base = source.baseAddress { t.storage.pointer.copyMemory(from: base, byteCount: source.count) }
            }
            return .tensor(t)
        case .bytes:
            let shape = try shape()
            return .bytes(ByteArray(unchecked: shape, bytes: [UInt8](try bytes(shape.reduce(1, *)))))
        case .strings:
            let shape = try shape()
            let count = shape.reduce(1, *)
            var strings: [String] = []
            for _ in 0..<count { strings.append(try text()) }
            return .strings(StringArray(unchecked: shape, strings: strings))
        case .tuple:
            let count = Int(try word(UInt32.self))
            guard count <= data.count - offset else { throw damaged("a tuple that fits in the file") }
            return .tuple(try (0..<count).map { _ in try decode(nesting: nesting + 1) })
        case .end:
            throw damaged("an element, not the end mark, inside an element")
        case .dict:
            let count = Int(try word(UInt32.self))
            guard count <= data.count - offset else { throw damaged("a dictionary that fits in the file") }
            return .dict(try (0..<count).map { _ in (key: try text(), value: try decode(nesting: nesting + 1)) })
        }
    }
}
