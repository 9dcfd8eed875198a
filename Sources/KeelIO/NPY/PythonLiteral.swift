/// The Python literals an NPY header is written in: NumPy writes the header with `repr` and
/// reads it back with `ast.literal_eval`, so any spacing, key order, quote style or trailing
/// comma that Python accepts can appear in a file.
indirect enum PythonLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dictionary([(key: PythonLiteral, value: PythonLiteral)])

    /// How the value reads in an error message.
    var summary: String {
        switch self {
        case .string(let text): return "'\(text)'"
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            let inner = items.map(\.summary)
            return inner.count == 1 ? "(\(inner[0]),)" : "(" + inner.joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.summary).joined(separator: ", ") + "]"
        case .dictionary(let entries):
            return "{" + entries.map { "\($0.key.summary): \($0.value.summary)" }.joined(separator: ", ") + "}"
        }
    }
}

/// What made a literal unreadable, and where (a character offset into the text).
struct PythonLiteralError: Error {
    let reason: String
    let offset: Int
}

extension PythonLiteral {
    /// Parses exactly one literal; anything but whitespace after it is an error.
    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = PythonLiteralParser(characters: Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.failure("unexpected text after the literal") }
        return value
    }
}

private struct PythonLiteralParser {
    let characters: [Unicode.Scalar]
    var position = 0
    /// Headers nest two or three levels; a hostile "((((..." must not exhaust the stack.
    var depth = 0
    static let maximumDepth = 32

    var atEnd: Bool { position >= characters.count }
    var current: Unicode.Scalar? { atEnd ? nil : characters[position] }

    func failure(_ reason: String) -> PythonLiteralError {
        PythonLiteralError(reason: reason, offset: position)
    }

    mutating func skipWhitespace() {
        while let character = current, character == " " || character == "\t" || character == "\n" || character == "\r" {
            position += 1
        }
    }

    mutating func value() throws -> PythonLiteral {
        skipWhitespace()
        guard let character = current else { throw failure("the text ends where a value should be") }
        switch character {
        case "'", "\"": return .string(try string(quote: character))
        case "(": return try parenthesized()
        case "[": return .list(try sequence(closing: "]").items)
        case "{": return try dictionary()
        case "-", "+", "0"..."9": return .integer(try integer())
        default: return try keyword()
        }
    }

    mutating func enterContainer() throws {
        guard depth < Self.maximumDepth else { throw failure("containers nested more than \(Self.maximumDepth) deep") }
        depth += 1
        position += 1
    }

    mutating func string(quote: Unicode.Scalar) throws -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        while let character = current {
            position += 1
            if character == quote { return String(scalars) }
            if character == "\n" { break }
            if character == "\\" {
                guard let escaped = current else { break }
                position += 1
                switch escaped {
                case "n": scalars.append("\n")
                case "t": scalars.append("\t")
                case "r": scalars.append("\r")
                case "0": scalars.append("\0")
                default: scalars.append(escaped)
                }
            } else {
                scalars.append(character)
            }
        }
        throw failure("a string is not closed")
    }

    mutating func integer() throws -> Int {
        let start = position
        if current == "-" || current == "+" { position += 1 }
        while let character = current, ("0"..."9").contains(character) || character == "_" { position += 1 }
        let digits = String(String.UnicodeScalarView(characters[start..<position])).replacingUnderscores()
        // Python 2 wrote long integers with an L suffix, and old .npy files still carry it.
        if current == "L" || current == "l" { position += 1 }
        guard let value = Int(digits) else {
            position = start
            throw failure("'\(digits)' is not an integer Keel can hold")
        }
        return value
    }

    mutating func keyword() throws -> PythonLiteral {
        let start = position
        while let character = current, character.properties.isAlphabetic || character == "_" { position += 1 }
        let word = String(String.UnicodeScalarView(characters[start..<position]))
        switch word {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        default:
            position = start
            throw failure(word.isEmpty ? "unexpected '\(characters[start])'" : "unknown name '\(word)'")
        }
    }

    /// `(x)` is just x in Python; a comma makes it a tuple: `()`, `(3,)`, `(2, 3)`.
    mutating func parenthesized() throws -> PythonLiteral {
        let (items, hasComma) = try sequence(closing: ")")
        if items.count == 1 && !hasComma { return items[0] }
        return .tuple(items)
    }

    mutating func sequence(closing: Unicode.Scalar) throws -> (items: [PythonLiteral], hasComma: Bool) {
        try enterContainer()
        defer { depth -= 1 }
        var items: [PythonLiteral] = []
        var hasComma = false
        while true {
            skipWhitespace()
            if current == closing { position += 1; return (items, hasComma) }
            items.append(try value())
            skipWhitespace()
            if current == "," { position += 1; hasComma = true; continue }
            guard current == closing else { throw failure("expected ',' or '\(closing)'") }
        }
    }

    mutating func dictionary() throws -> PythonLiteral {
        try enterContainer()
        defer { depth -= 1 }
        var entries: [(key: PythonLiteral, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if current == "}" { position += 1; return .dictionary(entries) }
            let key = try value()
            skipWhitespace()
            guard current == ":" else { throw failure("expected ':' after a dictionary key") }
            position += 1
            entries.append((key, try value()))
            skipWhitespace()
            if current == "," { position += 1; continue }
            guard current == "}" else { throw failure("expected ',' or '}'") }
        }
    }
}

private extension String {
    func replacingUnderscores() -> String { filter { $0 != "_" } }
}
