internal import CHDF5

/// Values to store in a new dataset or attribute, encoded the way h5py encodes them.
enum HDF5Payload {
    case array(ArrayData)
    /// `shape` is [] for one string, [n] for n strings.
    case strings([String], shape: [Int], encoding: HDF5StringEncoding)

    /// HDF5 rejects a null buffer even when there is nothing to write.
    private static let emptyBuffer = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8))

    var shape: [Int] {
        switch self {
        case .array(let data): return data.shape
        case .strings(_, let shape, _): return shape
        }
    }

    var summary: String {
        switch self {
        case .array(let data): return "\(data.elementType) of shape \(data.shape)"
        case .strings(let strings, let shape, _):
            return shape.isEmpty ? "a string" : "\(strings.count) strings"
        }
    }

    /// Calls `body` with the datatype (used both in the file and in memory), the dataspace and
    /// the encoded values; the ids are closed when it returns.
    func withEncoded<T>(at location: HDF5Location,
                        _ body: (_ type: hid_t, _ space: hid_t, _ values: UnsafeRawPointer) throws -> T) throws -> T {
        switch self {
        case .array(let data):
            return try data.elementType.withMemoryType(at: location) { type in
                try HDF5Extent.withDataspace(shape: data.shape, at: location) { space in
                    try data.bytes.withUnsafeBytes { raw in
                        try body(type, space, raw.baseAddress ?? HDF5Payload.emptyBuffer)
                    }
                }
            }
        case .strings(let strings, let shape, let encoding):
            if let bad = strings.first(where: { $0.utf8.contains(0) }) {
                throw location.error(expected: "strings without NUL characters", found: "\"\(bad)\"")
            }
            return try HDF5Extent.withDataspace(shape: shape, at: location) { space in
                switch encoding {
                case .variableLengthUTF8:
                    return try HDF5Payload.withVariableLengthStrings(strings, at: location) { type, values in
                        try body(type, space, values ?? HDF5Payload.emptyBuffer)
                    }
                case .fixedLengthBytes:
                    return try HDF5Payload.withFixedLengthStrings(strings, at: location) { type, values in
                        try body(type, space, values ?? HDF5Payload.emptyBuffer)
                    }
                }
            }
        }
    }

    private static func withVariableLengthStrings<T>(_ strings: [String], at location: HDF5Location,
                                                     _ body: (hid_t, UnsafeRawPointer?) throws -> T) throws -> T {
        try HDF5Scoped.with(H5Tcopy(keel_h5t_c_s1()), close: H5Tclose,
                            orThrow: location.libraryError(expected: "a string datatype")) { type in
            guard H5Tset_size(type, keel_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0,
                  H5Tset_strpad(type, H5T_STR_NULLTERM) >= 0 else {
                throw location.libraryError(expected: "a variable-length UTF-8 string datatype")
            }
            // One buffer of NUL-terminated strings and a pointer to each: what HDF5 reads from.
            var characters: [CChar] = []
            var offsets: [Int] = []
            characters.reserveCapacity(strings.reduce(0) { $0 + $1.utf8.count + 1 })
            for string in strings {
                offsets.append(characters.count)
                characters.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
                characters.append(0)
            }
            return try characters.withUnsafeBufferPointer { buffer in
                let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in buffer.baseAddress.map { $0 + offset } }
                return try pointers.withUnsafeBytes { try body(type, $0.baseAddress) }
            }
        }
    }

    private static func withFixedLengthStrings<T>(_ strings: [String], at location: HDF5Location,
                                                  _ body: (hid_t, UnsafeRawPointer?) throws -> T) throws -> T {
        // NumPy gives b"" the dtype |S1, and HDF5 has no zero-length string type.
        let width = max(1, strings.map(\.utf8.count).max() ?? 1)
        return try HDF5Scoped.with(H5Tcopy(keel_h5t_c_s1()), close: H5Tclose,
                            orThrow: location.libraryError(expected: "a string datatype")) { type in
            guard H5Tset_size(type, width) >= 0, H5Tset_strpad(type, H5T_STR_NULLPAD) >= 0,
                  H5Tset_cset(type, H5T_CSET_ASCII) >= 0 else {
                throw location.libraryError(expected: "a fixed-length string datatype of \(width) bytes")
            }
            var bytes = [UInt8](repeating: 0, count: width * strings.count)
            for (index, string) in strings.enumerated() {
                let utf8 = Array(string.utf8)
                bytes.replaceSubrange((index * width)..<(index * width + utf8.count), with: utf8)
            }
            return try bytes.withUnsafeBytes { try body(type, $0.baseAddress) }
        }
    }
}
