/// A checkpoint path with Python `str.format` fields, such as
/// `"w.{epoch:02d}-{val_loss:.2f}.h5"`: ModelCheckpoint fills them from the epoch number and
/// the logs, as Keras calls `filepath.format(epoch=..., **logs)`. `{{` and `}}` are literal braces.
public struct FilepathTemplate: Equatable, Sendable {
    public let template: String
    private let pieces: [Piece]

    private enum Piece: Equatable, Sendable {
        case text(String)
        case field(name: String, spec: String)
    }

    public init(_ template: String) throws {
        self.template = template
        var pieces: [Piece] = []
        var text = ""
        var characters = template[...]
        func broken(_ why: String) -> KeelError {
            KeelError("file path template '\(template)'", expected: "Python format fields like {epoch:02d} or {val_loss:.2f}", found: why)
        }
        while let character = characters.popFirst() {
            if character == "}" {
                guard characters.first == "}" else { throw broken("a single '}'") }
                characters.removeFirst()
                text.append("}")
            } else if character == "{" {
                if characters.first == "{" {
                    characters.removeFirst()
                    text.append("{")
                    continue
                }
                guard let close = characters.firstIndex(of: "}") else { throw broken("a '{' that is never closed") }
                let field = characters[..<close]
                characters = characters[characters.index(after: close)...]
                let name = field.prefix { $0 != ":" && $0 != "!" }
                let rest = field.dropFirst(name.count)
                guard !name.isEmpty else { throw broken("an unnamed field '{\(field)}'") }
                guard !name.contains(where: { $0 == "." || $0 == "[" || $0 == "{" }), !rest.hasPrefix("!"),
                      !rest.contains("{") else {
                    throw broken("the field '{\(field)}' (attributes, indexes, conversions and nested fields are not supported)")
                }
                let spec = String(rest.dropFirst())
                _ = try FormatSpec(spec)
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.field(name: String(name), spec: spec))
            } else {
                text.append(character)
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    /// The field names the template uses.
    public var fieldNames: [String] {
        pieces.compactMap { if case .field(let name, _) = $0 { return name }; return nil }
    }

    /// The path for these values; a field with no value is an error naming it (Keras's KeyError).
    public func format(_ values: [String: PythonFormatArgument]) throws -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .field(let name, let spec):
                guard let value = values[name] else {
                    throw KeelError("file path template '\(template)'", expected: "a value for '{\(name)}' (the epoch, the batch or a logs key)",
                                    found: "no such key; available: \(values.keys.sorted().joined(separator: ", "))")
                }
                result += try PythonText.format(value, spec: spec)
            }
        }
        return result
    }
}
