/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, an element type code, the number
/// of dimensions, each dimension as a big-endian UInt32, then the elements big-endian in C order.
/// Files are often gzipped; readers recognise gzip by its magic number, whatever the file name.
public enum IDX {
    /// Reads the IDX file at `path`, gzipped or not.
    public static func read(_ path: String) throws -> ArrayData {
        try read(bytes: FileBytes.read(path, what: "IDX file"), name: path)
    }

    /// Reads the IDX file at `path`, demanding an element type and shape (nil sizes match any).
    public static func read(_ path: String, as elementType: ElementType?, shape: [Int?]? = nil) throws -> ArrayData {
        try read(path).requiring(elementType, shape: shape, in: path)
    }

    /// Decodes the bytes of an IDX file, gzipped or not; `name` identifies them in errors.
    public static func read(bytes: [UInt8], name: String) throws -> ArrayData {
        if Gzip.isCompressed(bytes) {
            return try decode(Gzip.decompress(bytes, name: name), name: name + " (decompressed)")
        }
        return try decode(bytes, name: name)
    }

    /// Writes `array` to `path` as an IDX file, gzipped when `gzipped` is true, atomically.
    public static func write(_ array: ArrayData, to path: String, gzipped: Bool = false) throws {
        let bytes = try encode(array)
        try AtomicFile.write(gzipped ? Gzip.compress(bytes) : bytes, to: path)
    }

    /// The bytes of an (uncompressed) IDX file holding `array`. IDX has no codes for int64 or
    /// bool, and dimensions must fit in a UInt32.
    public static func encode(_ array: ArrayData) throws -> [UInt8] {
        guard let typeCode = typeCodes.first(where: { $0.value == array.elementType })?.key else {
            throw KeelError("IDX encoding", expected: "elements of type uint8, int8, int16, int32, float32 or float64",
                            found: "\(array.elementType) elements")
        }
        guard array.shape.count <= Int(UInt8.max), array.shape.allSatisfy({ $0 <= Int(UInt32.max) }) else {
            throw KeelError("IDX encoding", expected: "at most 255 dimensions each below 2^32",
                            found: "shape \(ArrayData.describe(array.shape))")
        }
        var bytes: [UInt8] = [0, 0, typeCode, UInt8(array.shape.count)]
        bytes.reserveCapacity(4 + 4 * array.shape.count + array.bytes.count)
        for dimension in array.shape {
            bytes += (0..<4).reversed().map { UInt8(truncatingIfNeeded: dimension >> (8 * $0)) }
        }
        var data = array.bytes
        ByteOrder.reverseElements(of: &data, elementSize: array.elementType.byteCount)
        bytes += data
        return bytes
    }

    private static let typeCodes: [UInt8: ElementType] = [
        0x08: .uint8, 0x09: .int8, 0x0B: .int16, 0x0C: .int32, 0x0D: .float32, 0x0E: .float64,
    ]

    private static func decode(_ bytes: [UInt8], name: String) throws -> ArrayData {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "IDX magic 00 00 <type> <rank>", found: "an empty file")
        }
        guard bytes.count >= 4 else {
            throw KeelError(name, expected: "a 4-byte IDX magic number",
                            found: "the file ending after \(bytes.count) bytes (truncated)")
        }
        guard bytes[0] == 0, bytes[1] == 0, let elementType = typeCodes[bytes[2]] else {
            throw KeelError(name, expected: "IDX magic 00 00 <type 08 09 0b 0c 0d 0e> <rank>",
                            found: "bytes \(Gzip.hexPrefix(bytes, count: 4)) (not an IDX file)")
        }
        let rank = Int(bytes[3])
        let dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw KeelError(name, expected: "\(rank) big-endian dimension sizes after the magic",
                            found: "the file ending after \(bytes.count) bytes (truncated header)")
        }
        let shape = (0..<rank).map { axis in
            bytes[(4 + 4 * axis)..<(8 + 4 * axis)].reduce(0) { $0 << 8 | Int($1) }
        }
        guard let byteCount = ArrayData.byteCount(of: elementType, shape: shape) else {
            throw KeelError(name, expected: "a shape whose size fits in memory",
                            found: "shape \(ArrayData.describe(shape))")
        }
        let dataLength = bytes.count - dataStart
        guard dataLength == byteCount else {
            let problem = dataLength < byteCount ? "truncated" : "trailing bytes"
            throw KeelError(name, expected: "\(byteCount) data bytes for shape \(ArrayData.describe(shape)) of \(elementType)",
                            found: "\(dataLength) bytes (\(problem))")
        }
        var data = Array(bytes[dataStart...])
        ByteOrder.reverseElements(of: &data, elementSize: elementType.byteCount)
        return ArrayData(elementType: elementType, shape: shape, bytes: data)
    }
}
