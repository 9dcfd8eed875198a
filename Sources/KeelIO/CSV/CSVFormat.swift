/// How CSV is written: the field separator and the line terminator. The default is what Keras's
/// CSVLogger writes (Python's csv module, "excel" dialect): comma separated, lines ended by
/// "\r\n", fields quoted only where needed.
public struct CSVFormat: Equatable, Sendable {
    /// The separator as the single ASCII byte libcsv works with.
    let separatorByte: UInt8
    public let lineTerminator: String

    public var separator: Character { Character(Unicode.Scalar(separatorByte)) }

    public static let standard = CSVFormat(separatorByte: UInt8(ascii: ","), lineTerminator: "\r\n")

    /// `separator` must be one ASCII character other than a quote, "\r" or "\n";
    /// `lineTerminator` is written after every row (usually "\r\n" or "\n").
    public init(separator: Character = ",", lineTerminator: String = "\r\n") throws {
        self.init(separatorByte: try Self.separatorByte(separator), lineTerminator: lineTerminator)
        guard !lineTerminator.isEmpty else {
            throw KeelError("CSV format", expected: "a non-empty line terminator", found: "an empty string")
        }
    }

    private init(separatorByte: UInt8, lineTerminator: String) {
        self.separatorByte = separatorByte
        self.lineTerminator = lineTerminator
    }

    static let quote = UInt8(ascii: "\"")

    /// The byte for a separator character, checked.
    static func separatorByte(_ separator: Character) throws -> UInt8 {
        guard let ascii = separator.asciiValue, ascii != quote, ascii != 0x0D, ascii != 0x0A, ascii != 0 else {
            throw KeelError("CSV format", expected: "a separator that is one ASCII character other than a quote or a line break",
                            found: "separator \(String(reflecting: String(separator)))")
        }
        return ascii
    }
}
