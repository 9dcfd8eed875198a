import Foundation

/// A JSON document kept as written (numbers as their text, keys in order), so an edit changes
/// exactly one thing and the rest serialises back byte-compatible in meaning.
indirect enum FuzzJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FuzzJSON])
    case object([(String, FuzzJSON)])

    // MARK: parsing (strict enough for the files Keel and Keras write)

    static func parse(_ text: String) -> FuzzJSON? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.index == parser.bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> FuzzJSON? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, FuzzJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key)? = stringValue() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let member = value() else { return nil }
                    members.append((key, member))
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [FuzzJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                return stringValue()
            default:
                for (word, result) in [("true", FuzzJSON.bool(true)), ("false", .bool(false)), ("null", .null),
                                       ("NaN", .number("NaN")), ("Infinity", .number("Infinity")),
                                       ("-Infinity", .number("-Infinity"))] where matches(word) {
                    index += word.utf8.count
                    return result
                }
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                return index > start ? .number(String(decoding: bytes[start..<index], as: UTF8.self)) : nil
            }
        }

        func matches(_ word: String) -> Bool {
            let w = Array(word.utf8)
            return index + w.count <= bytes.count && Array(bytes[index..<index + w.count]) == w
        }

        mutating func stringValue() -> FuzzJSON? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { return nil }
            let raw = "\"" + String(decoding: bytes[start..<index], as: UTF8.self) + "\""
            index += 1
            let decoded = (try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: .fragmentsAllowed)) as? String
            return .string(decoded ?? String(raw.dropFirst().dropLast()))
        }
    }

    // MARK: serialising

    var text: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return FuzzJSON.quote(s)
        case .array(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.map { FuzzJSON.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: paths into the tree

    /// Every node's path (object keys and array indices), root first.
    var paths: [[PathStep]] {
        var result: [[PathStep]] = [[]]
        switch self {
        case .array(let items):
            for (i, item) in items.enumerated() { result += item.paths.map { [.index(i)] + $0 } }
        case .object(let members):
            for (key, member) in members { result += member.paths.map { [.key(key)] + $0 } }
        default: break
        }
        return result
    }

    enum PathStep: CustomStringConvertible {
        case key(String), index(Int)
        var description: String {
            switch self { case .key(let k): return k; case .index(let i): return "[\(i)]" }
        }
    }

    subscript(path: [PathStep]) -> FuzzJSON? {
        guard let first = path.first else { return self }
        switch (self, first) {
        case (.array(let items), .index(let i)) where i < items.count: return items[i][Array(path.dropFirst())]
        case (.object(let members), .key(let k)): return members.first { $0.0 == k }?.1[Array(path.dropFirst())]
        default: return nil
        }
    }

    /// The document with the node at `path` replaced (nil `value`: removed from its parent).
    func replacing(_ path: [PathStep], with value: FuzzJSON?) -> FuzzJSON {
        guard let first = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case (.array(var items), .index(let i)) where i < items.count:
            if rest.isEmpty, value == nil { items.remove(at: i) } else { items[i] = items[i].replacing(rest, with: value) }
            return .array(items)
        case (.object(var members), .key(let k)):
            guard let at = members.firstIndex(where: { $0.0 == k }) else { return self }
            if rest.isEmpty, value == nil { members.remove(at: at) } else {
                members[at].1 = members[at].1.replacing(rest, with: value)
            }
            return .object(members)
        default:
            return self
        }
    }
}

/// Edits of a JSON document: a value's type changed, numbers made extreme, a key removed or
/// renamed, deep nesting, unusual Unicode, and plain syntax damage.
enum FuzzJSONEdits {
    /// Returns the edited text and a one-line description; `allow` vetoes an edit (path, new value).
    static func mutate(_ text: String, _ random: inout FuzzRandom,
                       allow: ([FuzzJSON.PathStep], FuzzJSON?) -> Bool = { _, _ in true }) -> ([UInt8], String) {
        guard let document = FuzzJSON.parse(text) else { return syntaxDamage(text, &random) }
        if random.chance(0.1) { return syntaxDamage(text, &random) }
        let paths = document.paths
        for _ in 0..<20 {
            let path = random.pick(paths)
            let node = document[path] ?? .null
            let name = path.isEmpty ? "<root>" : path.map(\.description).joined(separator: ".")
            let (replacement, what) = edit(node, isRoot: path.isEmpty, &random)
            guard allow(path, replacement) else { continue }
            if path.isEmpty, replacement == nil { return ([], "emptied the document") }
            return (Array(document.replacing(path, with: replacement).text.utf8), "json \(name): \(what)")
        }
        return syntaxDamage(text, &random)
    }

    private static func edit(_ node: FuzzJSON, isRoot: Bool, _ random: inout FuzzRandom) -> (FuzzJSON?, String) {
        switch random.below(8) {
        case 0 where !isRoot:
            return (nil, "removed")
        case 1:
            let number = random.pick(FuzzExtremes.decimal + ["NaN", "Infinity", "-Infinity", "1.5", "-2"])
            return (.number(number), "set to \(number)")
        case 2:
            let value = random.pick(strings)
            return (.string(value), "set to string \(value.count > 40 ? "of \(value.count) characters" : value.debugDescription)")
        case 3:
            let depth = random.pick([64, 1000, 20_000])
            let nested = FuzzJSON.number(String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth))
            return (nested, "nested \(depth) arrays deep")
        case 4:
            let value = random.pick([FuzzJSON.null, .bool(true), .array([]), .object([]), .array([.null, .number("1")]),
                                     .object([("class_name", .string("Dense")), ("config", .null)])])
            return (value, "type changed to \(value.text)")
        case 5:
            if case .object(var members) = node, !members.isEmpty {
                let at = random.below(members.count)
                let key = random.pick(strings)
                let old = members[at].0
                members[at].0 = key
                return (.object(members), "key \(old) renamed to \(key.prefix(20).debugDescription)")
            }
            if case .array(let items) = node, !items.isEmpty {
                let copies = random.pick([0, 2, 1000])
                return (.array(Array(repeating: items[0], count: copies) + items), "array grew by \(copies) copies of its first item")
            }
            return (.array([node]), "wrapped in an array")
        case 6:
            if case .number(let n) = node, let value = Double(n) {
                let scaled = random.pick([-value, value * 1e300, value + 1, -1e300, 0])
                return (.number(String(describing: scaled)), "number \(n) changed to \(scaled)")
            }
            if case .string = node { return (.string(random.pick(strings)), "string replaced") }
            return (.number("-1"), "set to -1")
        default:
            if case .object(var members) = node {
                let key = members.first?.0 ?? "x"
                members.append((key, .number("9223372036854775807")))
                return (.object(members), "duplicate key \(key)")
            }
            return (.null, "set to null")
        }
    }

    static let strings: [String] = [
        "", " ", "\u{0}", "é", "\u{1F600}\u{0301}", "\u{FEFF}name", "\u{202E}evil", "a\nb", "\\", "\"",
        "%s%n%x", "../../etc/passwd", String(repeating: "x", count: 100_000), "-1", "1e999", "NaN",
        "float64", "int64", "Dense", "InputLayer", "Functional", "Sequential", "crashed", "running", "finished",
    ]

    /// Text-level damage: cut, a character swapped for a structural one, a byte that is not UTF-8.
    static func syntaxDamage(_ text: String, _ random: inout FuzzRandom) -> ([UInt8], String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return (Array("{".utf8), "empty document replaced by {") }
        let at = random.below(bytes.count)
        switch random.below(4) {
        case 0:
            return (Array(bytes[..<at]), "cut at byte \(at)")
        case 1:
            let replacement = random.pick(Array("{}[]\",:0-e".utf8))
            bytes[at] = replacement
            return (bytes, "byte \(at) set to '\(UnicodeScalar(replacement))'")
        case 2:
            bytes.insert(contentsOf: [0xFF, 0xC3], at: at)
            return (bytes, "invalid UTF-8 inserted at byte \(at)")
        default:
            return (Array((String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)).utf8),
                    "replaced by objects nested 50000 deep")
        }
    }
}
