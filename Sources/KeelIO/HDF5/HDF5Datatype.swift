internal import CHDF5

/// The type of the values an HDF5 dataset or attribute stores, as far as Keel tells them apart.
public enum HDF5Datatype: Equatable, Sendable, CustomStringConvertible {
    case integer(signed: Bool, byteCount: Int)
    case float(byteCount: Int)
    /// h5py's boolean: an 8-bit enum with members FALSE = 0 and TRUE = 1.
    case bool
    /// h5py's `str` (and `dtype=object` strings): variable-length strings.
    case variableLengthString
    /// NumPy's `|S<n>` (`numpy.bytes_`), as tf.keras 2 wrote names and configs.
    case fixedLengthString(byteCount: Int)
    /// Anything else (compound, opaque, reference, other enums...), named by its HDF5 class.
    case other(String)

    /// The `ArrayData` element type that holds these values exactly, if there is one.
    public var elementType: ElementType? {
        switch self {
        case .integer(true, 1): return .int8
        case .integer(false, 1): return .uint8
        case .integer(true, 2): return .int16
        case .integer(true, 4): return .int32
        case .integer(true, 8): return .int64
        case .float(4): return .float32
        case .float(8): return .float64
        case .bool: return .bool
        default: return nil
        }
    }

    public var isString: Bool {
        switch self {
        case .variableLengthString, .fixedLengthString: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .integer(let signed, let byteCount): return "\(signed ? "int" : "uint")\(byteCount * 8)"
        case .float(let byteCount): return "float\(byteCount * 8)"
        case .bool: return "bool"
        case .variableLengthString: return "variable-length string"
        case .fixedLengthString(let byteCount): return "fixed-length string of \(byteCount) bytes"
        case .other(let name): return name
        }
    }

    /// Whether values of this type can be read as `requested` without losing range: any number
    /// as a floating-point type (what weight loading wants), integers as wider integers.
    func canBeRead(as requested: ElementType) -> Bool {
        if elementType == requested { return true }
        switch (self, requested) {
        case (.integer, .float32), (.integer, .float64), (.float, .float32), (.float, .float64):
            return true
        case (.bool, .float32), (.bool, .float64):
            return true
        case (.integer(let signed, let byteCount), .int16), (.integer(let signed, let byteCount), .int32),
             (.integer(let signed, let byteCount), .int64):
            return signed ? byteCount <= requested.byteCount : byteCount < requested.byteCount
        default:
            return false
        }
    }

    /// Describes an HDF5 datatype id.
    init(describing typeID: hid_t, at location: HDF5Location, what: String) throws {
        let typeClass = H5Tget_class(typeID)
        let size = H5Tget_size(typeID)
        guard typeClass != H5T_NO_CLASS, size > 0 else {
            throw location.libraryError(expected: "a readable datatype for \(what)")
        }
        let byteCount = Int(size)
        switch typeClass {
        case H5T_INTEGER:
            let sign = H5Tget_sign(typeID)
            guard sign != H5T_SGN_ERROR else {
                throw location.libraryError(expected: "a readable integer datatype for \(what)")
            }
            self = .integer(signed: sign == H5T_SGN_2, byteCount: byteCount)
        case H5T_FLOAT:
            self = .float(byteCount: byteCount)
        case H5T_STRING:
            let variable = H5Tis_variable_str(typeID)
            guard variable >= 0 else {
                throw location.libraryError(expected: "a readable string datatype for \(what)")
            }
            self = variable > 0 ? .variableLengthString : .fixedLengthString(byteCount: byteCount)
        case H5T_ENUM:
            self = HDF5Datatype.isBoolEnum(typeID) ? .bool : .other("enum")
        case H5T_TIME: self = .other("time")
        case H5T_BITFIELD: self = .other("bitfield")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_COMPOUND: self = .other("compound")
        case H5T_REFERENCE: self = .other("reference")
        case H5T_VLEN: self = .other("variable-length sequence")
        case H5T_ARRAY: self = .other("array")
        default: self = .other("unknown datatype class \(typeClass.rawValue)")
        }
    }

    private static func isBoolEnum(_ typeID: hid_t) -> Bool {
        guard H5Tget_size(typeID) == 1, H5Tget_nmembers(typeID) == 2 else { return false }
        var names: [String: Int8] = [:]
        for member in 0..<UInt32(2) {
            guard let name = H5Tget_member_name(typeID, member) else { return false }
            defer { H5free_memory(name) }
            var value: Int8 = -1
            guard H5Tget_member_value(typeID, member, &value) >= 0 else { return false }
            names[String(cString: name)] = value
        }
        return names == ["FALSE": 0, "TRUE": 1]
    }
}

/// How a string attribute or dataset is written.
public enum HDF5StringEncoding: Sendable {
    /// Variable-length UTF-8: what h5py writes for a Python `str`, and what Keras 3 writes.
    case variableLengthUTF8
    /// Fixed-length, NUL-padded bytes holding UTF-8 (NumPy `|S<n>` / `numpy.bytes_`): what
    /// tf.keras 2 wrote. The length is the longest string's byte count.
    case fixedLengthBytes
}

extension ElementType {
    /// Calls `body` with the in-memory HDF5 type of this element type; also used as the
    /// file type when writing, since NumPy's little-endian types are the native ones here.
    func withMemoryType<T>(at location: HDF5Location, _ body: (hid_t) throws -> T) throws -> T {
        switch self {
        case .float32: return try body(keel_h5t_native_float())
        case .float64: return try body(keel_h5t_native_double())
        case .int8: return try body(keel_h5t_native_int8())
        case .uint8: return try body(keel_h5t_native_uint8())
        case .int16: return try body(keel_h5t_native_int16())
        case .int32: return try body(keel_h5t_native_int32())
        case .int64: return try body(keel_h5t_native_int64())
        case .bool:
            // The enum h5py reads back as numpy.bool_.
            return try HDF5Scoped.with(H5Tenum_create(keel_h5t_native_int8()), close: H5Tclose,
                                       orThrow: location.libraryError(expected: "a boolean datatype")) { type in
                var no: Int8 = 0, yes: Int8 = 1
                guard H5Tenum_insert(type, "FALSE", &no) >= 0, H5Tenum_insert(type, "TRUE", &yes) >= 0 else {
                    throw location.libraryError(expected: "a boolean datatype")
                }
                return try body(type)
            }
        }
    }
}
