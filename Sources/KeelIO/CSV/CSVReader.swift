#if canImport(Glibc)
import Glibc
#endif
internal import CCSV

/// One parsed row and the line of the file where it ends (quoted fields may span lines).
struct CSVRecord {
    let fields: [String]
    let line: Int
}

extension CSV {
    /// The rows of the CSV file at `path`. Fields may be quoted (with embedded separators, line
    /// breaks and doubled quotes); lines may end in "\r\n", "\n" or "\r"; blank lines are
    /// skipped and spaces are kept. In `strict` mode a stray quote or an unterminated quoted
    /// field is an error naming the line; otherwise libcsv reads such text as best it can.
    public static func read(_ path: String, separator: Character = ",", strict: Bool = true) throws -> [[String]] {
        try read(bytes: FileBytes.read(path, what: "CSV file"), name: path, separator: separator, strict: strict)
    }

    /// Parses CSV bytes; `name` identifies them in errors.
    public static func read(bytes: [UInt8], name: String, separator: Character = ",",
                            strict: Bool = true) throws -> [[String]] {
        try records(in: bytes, name: name, separator: separator, strict: strict).map(\.fields)
    }

    static func records(in bytes: [UInt8], name: String, separator: Character, strict: Bool) throws -> [CSVRecord] {
        let separatorByte = try CSVFormat.separatorByte(separator)
        guard !bytes.isEmpty else {
            throw KeelError(name, expected: "CSV rows", found: "an empty file")
        }
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes
        if let nul = text.firstIndex(of: 0) {
            throw KeelError(name, expected: "CSV text", found: "a NUL byte on line \(lineNumber(at: nul, in: text)) (binary data)")
        }

        var parser = csv_parser()
        let options = strict ? UInt8(CSV_STRICT | CSV_STRICT_FINI) : 0
        guard csv_init(&parser, options) == 0 else {
            throw KeelError(name, expected: "libcsv to start parsing", found: "libcsv could not allocate its parser")
        }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, separatorByte)
        // libcsv trims spaces and tabs around unquoted fields by default; Python's csv module
        // (and so pandas and Keras) keeps them.
        csv_set_space_func(&parser) { _ in 0 }

        let collector = CSVCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        try withExtendedLifetime(collector) {
            try text.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var lineStart = 0
                while lineStart < raw.count {
                    let remaining = raw.count - lineStart
                    let newline = memchr(base + lineStart, 0x0A, remaining)
                    let length = newline.map { base.distance(to: $0) + 1 - lineStart } ?? remaining
                    let parsed = csv_parse(&parser, base + lineStart, length, CSVCollector.endField,
                                           CSVCollector.endRow, context)
                    guard parsed == length else {
                        let reason = String(cString: csv_strerror(csv_error(&parser)))
                        throw KeelError(name, expected: "well-formed CSV (RFC 4180 quoting)",
                                        found: "\(reason) on line \(collector.line): a quote inside an unquoted field or text after a closing quote")
                    }
                    lineStart += length
                    collector.line += 1
                }
            }
            // A last row without a line break ends on the last line, not after it.
            collector.line = max(1, collector.line - 1)
            guard csv_fini(&parser, CSVCollector.endField, CSVCollector.endRow, context) == 0 else {
                let opening = unterminatedQuoteOffset(in: text) ?? text.count - 1
                throw KeelError(name, expected: "every quoted field to be closed",
                                found: "a quoted field opened on line \(lineNumber(at: opening, in: text)) and never closed (truncated or malformed)")
            }
        }
        if let line = collector.invalidUTF8Line {
            throw KeelError(name, expected: "CSV text in UTF-8", found: "bytes that are not UTF-8 on line \(line)")
        }
        return collector.records
    }

    private static func lineNumber(at offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].lazy.filter { $0 == 0x0A }.count
    }

    /// Where the quoted field that never closed opens. Every quote toggles between inside and
    /// outside a quoted field (a doubled quote toggles twice), which strict parsing guarantees
    /// is the whole story.
    private static func unterminatedQuoteOffset(in bytes: [UInt8]) -> Int? {
        var opening: Int?
        for (offset, byte) in bytes.enumerated() where byte == CSVFormat.quote {
            opening = opening == nil ? offset : nil
        }
        return opening
    }
}

/// Gathers libcsv's callbacks (one per field, one per row end) into records.
private final class CSVCollector {
    var records: [CSVRecord] = []
    var fields: [String] = []
    var line = 1
    var invalidUTF8Line: Int?

    static let endField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { field, length, context in
        guard let context else { return }
        let collector = Unmanaged<CSVCollector>.fromOpaque(context).takeUnretainedValue()
        let bytes = UnsafeRawBufferPointer(start: field, count: field == nil ? 0 : length)
        if let text = String(validating: bytes, as: UTF8.self) {
            collector.fields.append(text)
        } else {
            collector.invalidUTF8Line = collector.invalidUTF8Line ?? collector.line
            collector.fields.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    static let endRow: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
        guard let context else { return }
        let collector = Unmanaged<CSVCollector>.fromOpaque(context).takeUnretainedValue()
        collector.records.append(CSVRecord(fields: collector.fields, line: collector.line))
        collector.fields = []
    }
}
