import Foundation

/// A value `str.format` can be given: what file-name templates substitute.
public enum PythonFormatArgument: Equatable, Sendable {
    case int(Int)
    case double(Double)
    case string(String)
}

/// Python's text forms of numbers, so file names and CSV cells come out as Keras writes them:
/// `str(float)` and the format-spec mini-language of `format(value, spec)` (fill, align, sign,
/// `0`, width, `,`/`_` grouping, precision and the types d b o x X e E f F g G % s).
public enum PythonText {
    /// Python's `str(float)`: the shortest round-trip digits (`0.1`, `1e-05`, `1.0`), `nan`, `inf`.
    public static func str(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return JSONValue.pythonRepr(value)
    }

    /// `format(argument, spec)` as Python computes it; a spec Python rejects for that value is an error.
    public static func format(_ argument: PythonFormatArgument, spec: String) throws -> String {
        let parsed = try FormatSpec(spec)
        switch argument {
        case .string(let text):
            guard parsed.type == nil || parsed.type == "s", parsed.sign == nil, !parsed.zeroPad || parsed.align != nil else {
                throw KeelError("format spec '\(spec)'", expected: "a spec for a string", found: "one for numbers")
            }
            let body = parsed.precision.map { String(text.prefix($0)) } ?? text
            return parsed.pad(sign: "", body: body, defaultAlign: "<")
        case .int(let value):
            if let type = parsed.type, "eEfFgG%".contains(type) { return try format(.double(Double(value)), spec: spec) }
            guard parsed.precision == nil else {
                throw KeelError("format spec '\(spec)'", expected: "no precision for an integer", found: "a precision")
            }
            let radix: Int
            switch parsed.type {
            case nil, "d", "n": radix = 10
            case "b": radix = 2
            case "o": radix = 8
            case "x", "X": radix = 16
            default:
                throw KeelError("format spec '\(spec)'", expected: "a format code for an integer (d, b, o, x, X, e, f, g, %)",
                                found: "'\(parsed.type!)'")
            }
            var digits = String(value.magnitude, radix: radix, uppercase: parsed.type == "X")
            if let separator = parsed.grouping { digits = group(digits, with: separator) }
            return parsed.pad(sign: parsed.signText(negative: value < 0), body: digits, defaultAlign: ">")
        case .double(let value):
            return try formatDouble(value, parsed, spec: spec)
        }
    }

    private static func formatDouble(_ value: Double, _ spec: FormatSpec, spec text: String) throws -> String {
        var value = value
        let type = spec.type
        // '%' shows the value times 100 and a percent sign, even for nan and inf.
        let suffix = type == "%" ? "%" : ""
        if type == "%" { value *= 100 }
        let body: String
        if value.isNaN || value.isInfinite {
            let word = value.isNaN ? "nan" : "inf"
            body = (type.map { "FEG".contains($0) } ?? false) ? word.uppercased() : word
        } else {
            switch type {
            case nil:
                guard let precision = spec.precision else { body = str(abs(value)); break }
                body = shortestGeneral(abs(value), precision: max(precision, 1))
            case "f", "F", "%": body = cFormat("%.*f", spec.precision ?? 6, abs(value))
            case "e", "E": body = cFormat(type == "e" ? "%.*e" : "%.*E", spec.precision ?? 6, abs(value))
            case "g", "G", "n": body = cFormat(type == "G" ? "%.*G" : "%.*g", max(spec.precision ?? 6, 1), abs(value))
            default:
                throw KeelError("format spec '\(text)'", expected: "a format code for a float (e, E, f, F, g, G, %)",
                                found: "'\(type!)' (Python: unknown format code for object of type 'float')")
            }
        }
        var number = body
        if let separator = spec.grouping {
            let end = number.firstIndex(where: { !$0.isNumber }) ?? number.endIndex
            number = group(String(number[..<end]), with: separator) + number[end...]
        }
        // A value that rounds to zero keeps its minus sign in Python ("-0.00"), unless 'z'.
        var negative = value.sign == .minus && !value.isNaN
        if spec.coerceNegativeZero && value.isFinite && !number.contains(where: { ("1"..."9").contains($0) }) {
            negative = false
        }
        return spec.pad(sign: spec.signText(negative: negative), body: number + suffix, defaultAlign: ">")
    }

    /// A precision without a type: like `g`, but exponent notation already from an exponent of
    /// precision − 1, and fixed-point results keep a digit after the point (`3.0`, `0e+00`).
    private static func shortestGeneral(_ value: Double, precision: Int) -> String {
        let scientific = cFormat("%.*e", precision - 1, value)
        let exponent = Int(scientific.split(separator: "e").last ?? "0") ?? 0
        if exponent < -4 || exponent >= precision - 1 {
            let parts = scientific.split(separator: "e", maxSplits: 1)
            return trimmingZeros(String(parts[0]), keepPoint: false) + "e" + parts[1]
        }
        return trimmingZeros(cFormat("%.*f", precision - 1 - exponent, value), keepPoint: true)
    }

    /// Drops trailing zeros after a decimal point (and the point itself unless `keepPoint`,
    /// which leaves "3.0").
    private static func trimmingZeros(_ number: String, keepPoint: Bool) -> String {
        guard number.contains(".") else { return keepPoint ? number + ".0" : number }
        var trimmed = number
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") {
            if keepPoint { trimmed += "0" } else { trimmed.removeLast() }
        }
        return trimmed
    }

    private static func cFormat(_ format: String, _ precision: Int, _ value: Double) -> String {
        String(format: format, precision, value)
    }

    /// Inserts `separator` every three digits from the right.
    private static func group(_ digits: String, with separator: Character) -> String {
        var result = ""
        for (offset, digit) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 { result.append(separator) }
            result.append(digit)
        }
        return String(result.reversed())
    }
}

/// One parsed `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character?
    var coerceNegativeZero = false
    var zeroPad = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws {
        let characters = Array(spec)
        var i = 0
        func invalid() -> KeelError {
            KeelError("format spec '\(spec)'", expected: "Python's [[fill]align][sign][z][0][width][,][.precision][type]",
                      found: "an invalid spec")
        }
        if characters.count >= 2, "<>^=".contains(characters[1]) {
            fill = characters[0]
            align = characters[1]
            i = 2
        } else if let first = characters.first, "<>^=".contains(first) {
            align = first
            i = 1
        }
        if i < characters.count, "+- ".contains(characters[i]) { sign = characters[i]; i += 1 }
        if i < characters.count, characters[i] == "z" { coerceNegativeZero = true; i += 1 }
        if i < characters.count, characters[i] == "#" { throw invalid() }
        if i < characters.count, characters[i] == "0" { zeroPad = true; i += 1 }
        var widthDigits = ""
        while i < characters.count, characters[i].isASCII, characters[i].isNumber { widthDigits.append(characters[i]); i += 1 }
        width = Int(widthDigits) ?? 0
        if i < characters.count, ",_".contains(characters[i]) { grouping = characters[i]; i += 1 }
        if i < characters.count, characters[i] == "." {
            i += 1
            var digits = ""
            while i < characters.count, characters[i].isASCII, characters[i].isNumber { digits.append(characters[i]); i += 1 }
            guard let value = Int(digits) else { throw invalid() }
            precision = value
        }
        if i < characters.count { type = characters[i]; i += 1 }
        guard i == characters.count else { throw invalid() }
    }

    func signText(negative: Bool) -> String {
        if negative { return "-" }
        switch sign {
        case "+": return "+"
        case " ": return " "
        default: return ""
        }
    }

    /// Pads `sign + body` to `width`; `0` without an explicit alignment pads with zeros after
    /// the sign, as Python does.
    func pad(sign: String, body: String, defaultAlign: Character) -> String {
        let padding = width - sign.count - body.count
        guard padding > 0 else { return sign + body }
        let alignment = align ?? (zeroPad ? "=" : defaultAlign)
        let filler = align == nil && zeroPad ? "0" : fill
        let pad = { (count: Int) in String(repeating: filler, count: count) }
        switch alignment {
        case "<": return sign + body + pad(padding)
        case "^": return pad(padding / 2) + sign + body + pad(padding - padding / 2)
        case "=": return sign + pad(padding) + body
        default: return pad(padding) + sign + body
        }
    }
}
