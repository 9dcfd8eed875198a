import Foundation

/// The header dictionary of an NPY file, `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`,
/// reduced to what Keel reads: element type, byte order and shape (C order).
struct NPYHeader: Equatable {
    let elementType: ElementType
    let isBigEndian: Bool
    let shape: [Int]
    /// Set when the file holds a NumPy type Keel has no element type for, read without loss
    /// into `elementType` (uint16 into int32, float16 into float32, ...).
    var widenedFrom: NPYWidening? = nil

    /// The dtype strings Keel reads, as NumPy writes them.
    static let supportedDescriptors = "<f2, <f4, <f8, |i1, |u1, <i2, <u2, <i4, <u4, <i8, <u8, |b1 (or big-endian >f4 ...)"

    /// Interprets the header text; `name` is the file, for errors.
    static func parse(_ text: String, name: String) throws -> NPYHeader {
        let literal: PythonLiteral
        do {
            literal = try PythonLiteral.parse(text)
        } catch let error as PythonLiteralError {
            throw KeelError(name, expected: "an NPY header dictionary",
                            found: "\(error.reason) at character \(error.offset) of \(quoted(text))")
        }
        guard case .dictionary(let entries) = literal else {
            throw KeelError(name, expected: "an NPY header dictionary", found: literal.summary)
        }
        var values: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard case .string(let keyText) = key else {
                throw KeelError(name, expected: "NPY header keys descr, fortran_order, shape",
                                found: "key \(key.summary)")
            }
            values[keyText] = value
        }
        let expectedKeys: Set = ["descr", "fortran_order", "shape"]
        guard Set(values.keys) == expectedKeys, entries.count == expectedKeys.count else {
            throw KeelError(name, expected: "NPY header keys descr, fortran_order, shape",
                            found: "keys " + entries.map(\.key.summary).joined(separator: ", "))
        }
        let shape = try parseShape(values["shape"], name: name)
        let (elementType, isBigEndian, widening) = try parseDescriptor(values["descr"], name: name)
        guard case .boolean(let fortranOrder)? = values["fortran_order"] else {
            throw KeelError(name, expected: "fortran_order True or False",
                            found: values["fortran_order"]?.summary ?? "nothing")
        }
        // With at most one axis longer than 1, Fortran and C order lay the bytes out identically.
        if fortranOrder && shape.filter({ $0 > 1 }).count > 1 {
            throw KeelError(name, expected: "a C-order array (fortran_order: False)",
                            found: "fortran_order: True for shape \(ArrayData.describe(shape)); save it with np.ascontiguousarray first")
        }
        return NPYHeader(elementType: elementType, isBigEndian: isBigEndian, shape: shape, widenedFrom: widening)
    }

    /// The number of data bytes the header announces, or nil when it overflows `Int`.
    var byteCount: Int? { ArrayData.byteCount(elementSize: fileElementSize, shape: shape) }

    /// The size of one element in the file (before any widening).
    var fileElementSize: Int { widenedFrom?.fileElementSize ?? elementType.byteCount }

    /// The dictionary text exactly as NumPy's `write_array` produces it, before padding:
    /// keys sorted, `repr` values, and spare spaces after it so the first axis can grow in place.
    var dictionaryText: String {
        let order = elementType.byteCount == 1 ? "|" : (isBigEndian ? ">" : "<")
        let descriptor = order + Self.kindAndSize(of: elementType)
        let text = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(ArrayData.describe(shape)), }"
        let growthAxisMaximumDigits = 21
        guard let first = shape.first else { return text }
        return text + String(repeating: " ", count: max(0, growthAxisMaximumDigits - String(first).count))
    }

    private static func parseShape(_ literal: PythonLiteral?, name: String) throws -> [Int] {
        guard case .tuple(let items)? = literal else {
            throw KeelError(name, expected: "shape as a tuple of sizes such as (3, 4)",
                            found: literal?.summary ?? "nothing")
        }
        return try items.map { item in
            guard case .integer(let size) = item, size >= 0 else {
                throw KeelError(name, expected: "shape as a tuple of sizes >= 0",
                                found: PythonLiteral.tuple(items).summary)
            }
            return size
        }
    }

    private static func parseDescriptor(_ literal: PythonLiteral?, name: String) throws -> (ElementType, Bool, NPYWidening?) {
        guard case .string(let descriptor)? = literal else {
            throw KeelError(name, expected: "a plain dtype string (\(supportedDescriptors))",
                            found: "descr \(literal?.summary ?? "nothing") (structured dtypes are not supported)")
        }
        var body = Substring(descriptor)
        var isBigEndian = false
        if let order = body.first, "<>|=".contains(order) {
            isBigEndian = order == ">"
            body = body.dropFirst()
        }
        if let widening = NPYWidening(rawValue: String(body)) {
            return (widening.elementType, isBigEndian, widening)
        }
        let elementType = ElementType.allCases.first { kindAndSize(of: $0) == body }
            ?? (body == "?" ? .bool : nil)
        guard let elementType else {
            throw KeelError(name, expected: "a numeric or bool dtype Keel reads (\(supportedDescriptors))",
                            found: "dtype '\(descriptor)'\(kindName(of: body).map { " (\($0))" } ?? "")")
        }
        return (elementType, isBigEndian && elementType.byteCount > 1, nil)
    }

    /// What NumPy calls a dtype Keel does not read, from its kind letter: "complex64", "unicode strings".
    private static func kindName(of body: Substring) -> String? {
        guard let kind = body.first else { return nil }
        let bits = Int(body.dropFirst()).map { String($0 * 8) } ?? ""
        switch kind {
        case "c": return "complex\(bits)"
        case "f": return "float\(bits)"
        case "i": return "int\(bits)"
        case "u": return "uint\(bits)"
        case "U": return "unicode strings"
        case "S", "a": return "byte strings"
        case "O": return "Python objects"
        case "V": return "raw or structured records"
        case "M": return "datetime64"
        case "m": return "timedelta64"
        default: return nil
        }
    }

    private static func kindAndSize(of elementType: ElementType) -> String {
        switch elementType {
        case .float32: return "f4"
        case .float64: return "f8"
        case .int8: return "i1"
        case .uint8: return "u1"
        case .int16: return "i2"
        case .int32: return "i4"
        case .int64: return "i8"
        case .bool: return "b1"
        }
    }

    private static func quoted(_ text: String) -> String {
        let limit = 120
        let shown = text.count > limit ? String(text.prefix(limit)) + "..." : text
        return "\"" + shown.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
