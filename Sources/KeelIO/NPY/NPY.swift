/// NumPy's `.npy` format (format versions 1.0, 2.0 and 3.0): a magic string, a version, a
/// little-endian header length, a Python-literal header dictionary and the raw elements.
/// See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    /// NumPy pads the header so the data starts on a 64-byte boundary.
    static let alignment = 64

    /// Reads the array in the `.npy` file at `path`.
    public static func read(_ path: String) throws -> ArrayData {
        try read(bytes: FileBytes.read(path, what: ".npy file"), name: path)
    }

    /// Reads the array at `path`, demanding an element type and shape (nil sizes match any).
    public static func read(_ path: String, as elementType: ElementType?, shape: [Int?]? = nil) throws -> ArrayData {
        try read(path).requiring(elementType, shape: shape, in: path)
    }

    /// Decodes the bytes of a `.npy` file; `name` identifies them in errors.
    public static func read(bytes: [UInt8], name: String) throws -> ArrayData {
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "NPY magic \\x93NUMPY", found: "an empty file")
        }
        guard bytes.starts(with: magic.prefix(bytes.count)) else {
            throw KeelError(name, expected: "NPY magic \\x93NUMPY",
                            found: "bytes \(Gzip.hexPrefix(bytes)) (not an .npy file)")
        }
        let prefixLength = magic.count + 2
        guard bytes.count >= prefixLength + 2 else {
            throw KeelError(name, expected: "an NPY version and header length",
                            found: "the file ending after \(bytes.count) bytes (truncated)")
        }
        let major = bytes[magic.count], minor = bytes[magic.count + 1]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default:
            throw KeelError(name, expected: "NPY format version 1.0, 2.0 or 3.0", found: "version \(major).\(minor)")
        }
        guard bytes.count >= prefixLength + lengthFieldSize else {
            throw KeelError(name, expected: "a \(lengthFieldSize)-byte NPY header length",
                            found: "the file ending after \(bytes.count) bytes (truncated)")
        }
        let headerLength = bytes[prefixLength..<(prefixLength + lengthFieldSize)]
            .reversed().reduce(0) { $0 << 8 | Int($1) }
        let headerStart = prefixLength + lengthFieldSize
        let dataStart = headerStart + headerLength
        guard dataStart <= bytes.count else {
            throw KeelError(name, expected: "an NPY header of \(headerLength) bytes",
                            found: "only \(bytes.count - headerStart) bytes after the header length (truncated)")
        }
        let header = try NPYHeader.parse(
            headerText(bytes[headerStart..<dataStart], utf8: major == 3, name: name), name: name)
        guard let byteCount = header.byteCount else {
            throw KeelError(name, expected: "a shape whose size fits in memory",
                            found: "shape \(ArrayData.describe(header.shape))")
        }
        let dataLength = bytes.count - dataStart
        guard dataLength == byteCount else {
            let problem = dataLength < byteCount ? "truncated" : "trailing bytes"
            throw KeelError(name, expected: "\(byteCount) data bytes for shape \(ArrayData.describe(header.shape)) of \(header.elementType)",
                            found: "\(dataLength) bytes (\(problem))")
        }
        var data = Array(bytes[dataStart...])
        if header.isBigEndian {
            ByteOrder.reverseElements(of: &data, elementSize: header.fileElementSize)
        }
        if let widening = header.widenedFrom {
            data = try widening.widen(data, name: name)
        }
        return ArrayData(elementType: header.elementType, shape: header.shape, bytes: data)
    }

    /// Writes `array` to `path` as a `.npy` file, atomically.
    public static func write(_ array: ArrayData, to path: String) throws {
        try AtomicFile.write(encode(array), to: path)
    }

    /// The bytes of a `.npy` file holding `array`, byte for byte what `numpy.save` writes:
    /// version 1.0, or 2.0 when the header does not fit in 65535 bytes.
    public static func encode(_ array: ArrayData) -> [UInt8] {
        let header = NPYHeader(elementType: array.elementType, isBigEndian: false, shape: array.shape)
        let dictionary = Array(header.dictionaryText.utf8)
        let usesVersion1 = paddedLength(of: dictionary, lengthFieldSize: 2) <= Int(UInt16.max)
        let lengthFieldSize = usesVersion1 ? 2 : 4
        let headerLength = paddedLength(of: dictionary, lengthFieldSize: lengthFieldSize)
        var bytes = magic
        bytes.reserveCapacity(magic.count + 2 + lengthFieldSize + headerLength + array.bytes.count)
        bytes += [usesVersion1 ? 1 : 2, 0]
        bytes += (0..<lengthFieldSize).map { UInt8(truncatingIfNeeded: headerLength >> (8 * $0)) }
        bytes += dictionary
        bytes += [UInt8](repeating: 0x20, count: headerLength - dictionary.count - 1)
        bytes.append(0x0A)
        bytes += array.bytes
        return bytes
    }

    /// The header length (dictionary, space padding and the closing newline) that makes the
    /// whole preamble a multiple of 64 bytes; like NumPy, a full 64 spaces when it already is.
    private static func paddedLength(of dictionary: [UInt8], lengthFieldSize: Int) -> Int {
        let unpadded = magic.count + 2 + lengthFieldSize + dictionary.count + 1
        return dictionary.count + 1 + (alignment - unpadded % alignment)
    }

    /// Versions 1.0 and 2.0 store the header in Latin-1, 3.0 in UTF-8.
    private static func headerText(_ bytes: ArraySlice<UInt8>, utf8: Bool, name: String) throws -> String {
        if !utf8 {
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KeelError(name, expected: "an NPY 3.0 header in UTF-8", found: "bytes that are not valid UTF-8")
        }
        return text
    }
}
