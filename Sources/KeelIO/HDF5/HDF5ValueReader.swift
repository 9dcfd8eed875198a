internal import CHDF5
import Foundation

/// Reads the values of one open dataset or attribute. Datasets and attributes differ only in
/// the call that reads them (`H5Dread` / `H5Aread`), so numbers and strings are decoded here once.
struct HDF5ValueReader {
    let location: HDF5Location
    let core: HDF5FileCore
    /// "dataset" or "attribute 'layer_names'", for messages.
    let what: String
    let typeID: hid_t
    let spaceID: hid_t
    let datatype: HDF5Datatype
    let extent: HDF5Extent
    /// The most bytes the stored values can plausibly take; guards against corrupt dimensions.
    let storedByteLimit: Int
    /// Reads every value, converted to the given memory type, into the buffer.
    let readAll: (_ memoryType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t

    init(location: HDF5Location, core: HDF5FileCore, what: String, typeID: hid_t, spaceID: hid_t, storedByteLimit: Int,
         readAll: @escaping (hid_t, UnsafeMutableRawPointer) -> herr_t) throws {
        self.location = location
        self.core = core
        self.what = what
        self.typeID = typeID
        self.spaceID = spaceID
        self.datatype = try HDF5Datatype(describing: typeID, at: location, what: what)
        self.extent = try HDF5Extent(describing: spaceID, at: location, what: what)
        self.storedByteLimit = storedByteLimit
        self.readAll = readAll
    }

    private var found: String { "\(what) of \(datatype) with \(extent.shapeDescription)" }

    /// The values as `requested` (the stored type when nil), converted where
    /// `HDF5Datatype.canBeRead(as:)` allows; `shape`, when given, must match.
    func readArray(as requested: ElementType? = nil, shape expectedShape: [Int]? = nil) throws -> ArrayData {
        let (target, shape) = try checkedTarget(requested, expectedShape)
        if datatype == .bool && target != .bool {
            let stored = try readArray(as: .bool, shape: expectedShape)
            let floats = stored.floatValues()
            return target == .float32 ? ArrayData(floats, shape: shape) : ArrayData(floats.map(Double.init), shape: shape)
        }
        let byteCount = extent.count * target.byteCount
        let bytes = try [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            initialized = byteCount
            if let base = buffer.baseAddress { try read(into: base, as: target) }
        }
        return ArrayData(elementType: target, shape: shape, bytes: bytes)
    }

    /// The values as `T`, read straight into the array (no intermediate copy).
    func readValues<T: ArrayElement>(as type: T.Type, shape expectedShape: [Int]? = nil) throws -> [T] {
        let (target, _) = try checkedTarget(T.elementType, expectedShape)
        if datatype == .bool && target != .bool {
            let converted = try readArray(as: target, shape: expectedShape)
            guard let values = converted.values(as: T.self) else {
                throw location.error(expected: "\(what) readable as \(target)", found: found)
            }
            return values
        }
        return try [T](unsafeUninitializedCapacity: extent.count) { buffer, initialized in
            initialized = extent.count
            if let base = buffer.baseAddress { try read(into: UnsafeMutableRawPointer(base), as: target) }
        }
    }

    /// Exactly one value as `T` (a scalar, or an array of one element).
    func readScalar<T: ArrayElement>(as type: T.Type) throws -> T {
        guard extent.count == 1 else {
            throw location.error(expected: "\(what) holding a single \(T.elementType)", found: found)
        }
        let values = try readValues(as: T.self)
        guard let value = values.first else {
            throw location.error(expected: "\(what) holding a single \(T.elementType)", found: found)
        }
        return value
    }

    private func checkedTarget(_ requested: ElementType?, _ expectedShape: [Int]?) throws -> (ElementType, [Int]) {
        guard let shape = extent.shape else {
            throw location.error(expected: "\(what) holding values", found: found)
        }
        guard let target = requested ?? datatype.elementType else {
            throw location.error(expected: "\(what) of numbers (float, int, uint8 or bool)", found: found)
        }
        guard datatype.canBeRead(as: target) else {
            throw location.error(expected: "\(what) of \(target) (or a type that converts to it without loss)",
                                 found: found)
        }
        if let expectedShape, expectedShape != shape {
            throw location.error(expected: "\(what) of shape \(expectedShape)", found: found)
        }
        _ = try extent.byteCount(elementSize: Int(H5Tget_size(typeID)), limit: storedByteLimit,
                                 at: location, what: what)
        return (target, shape)
    }

    private func read(into buffer: UnsafeMutableRawPointer, as target: ElementType) throws {
        try target.withMemoryType(at: location) { memoryType in
            guard readAll(memoryType, buffer) >= 0 else {
                throw location.libraryError(expected: "\(what) to be readable as \(target)")
            }
        }
    }

    /// The values as strings: variable-length or fixed-length, UTF-8 or ASCII. A scalar gives
    /// one string; a null dataspace or any zero-element array (Keras writes empty name lists
    /// as float64 arrays of shape (0,)) gives none.
    func readStrings() throws -> [String] {
        guard extent.shape != nil, extent.count > 0 else { return [] }
        switch datatype {
        case .variableLengthString: return try readVariableLengthStrings()
        case .fixedLengthString(let byteCount): return try readFixedLengthStrings(byteCount: byteCount)
        default: throw location.error(expected: "\(what) of strings", found: found)
        }
    }

    /// Exactly one string (a scalar, or an array of one string).
    func readString() throws -> String {
        let strings = try readStrings()
        guard strings.count == 1, let string = strings.first else {
            throw location.error(expected: "\(what) holding a single string", found: found)
        }
        return string
    }

    private func readVariableLengthStrings() throws -> [String] {
        _ = try extent.byteCount(elementSize: MemoryLayout<UnsafeMutablePointer<CChar>?>.stride,
                                 limit: storedByteLimit, at: location, what: what)
        let characterSet = H5Tget_cset(typeID)
        return try HDF5Scoped.with(H5Tcopy(keel_h5t_c_s1()), close: H5Tclose,
                                   orThrow: location.libraryError(expected: "a string datatype")) { memoryType in
            guard H5Tset_size(memoryType, keel_h5t_variable()) >= 0,
                  characterSet == H5T_CSET_ERROR || H5Tset_cset(memoryType, characterSet) >= 0 else {
                throw location.libraryError(expected: "a variable-length string datatype")
            }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: extent.count)
            return try core.withGlobalHeap { heap in
                try pointers.withUnsafeMutableBufferPointer { buffer -> [String] in
                    guard let base = buffer.baseAddress, readAll(memoryType, base) >= 0 else {
                        if let damage = heap.failure {
                            throw location.error(expected: "\(what) with intact strings", found: "a damaged file: \(damage)")
                        }
                        throw location.libraryError(expected: "\(what) to be readable as strings")
                    }
                    defer {
                        // Strings from Keel's checked reader were malloc'ed by it; any others by HDF5.
                        if heap.convertedStrings {
                            buffer.forEach { free($0) }
                        } else {
                            _ = H5Dvlen_reclaim(memoryType, spaceID, keel_h5p_default(), base)
                        }
                    }
                    return buffer.map { pointer in
                        guard let pointer else { return "" }
                        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)),
                                      as: UTF8.self)
                    }
                }
            }
        }
    }

    private func readFixedLengthStrings(byteCount: Int) throws -> [String] {
        let total = try extent.byteCount(elementSize: byteCount, limit: storedByteLimit, at: location, what: what)
        let padding = H5Tget_strpad(typeID)
        var bytes = [UInt8](repeating: 0, count: total)
        try bytes.withUnsafeMutableBytes { raw in
            // Reading with the stored type itself: fixed-length strings need no conversion.
            guard let base = raw.baseAddress, readAll(typeID, base) >= 0 else {
                throw location.libraryError(expected: "\(what) to be readable as strings")
            }
        }
        return (0..<extent.count).map { index in
            var field = bytes[(index * byteCount)..<((index + 1) * byteCount)]
            if padding == H5T_STR_SPACEPAD {
                while field.last == UInt8(ascii: " ") { field.removeLast() }
            } else if let end = field.firstIndex(of: 0) {
                field = field[..<end]
            }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
