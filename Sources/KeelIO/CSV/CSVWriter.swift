#if canImport(Glibc)
import Glibc
#endif
internal import CCSV

/// RFC 4180 CSV through libcsv: rows of strings to and from files.
public enum CSV {
    /// Replaces `path` with `rows`, atomically.
    public static func write(_ rows: [[String]], to path: String, format: CSVFormat = .standard) throws {
        try AtomicFile.write(encode(rows, format: format), to: path)
    }

    /// Adds `rows` to the end of `path`, creating it when missing (what CSVLogger does with
    /// `append=True`). The rows go out in one write, so a reader never sees half a row from us.
    public static func append(_ rows: [[String]], to path: String, format: CSVFormat = .standard) throws {
        let bytes = encode(rows, format: format)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw KeelError(path, expected: "a CSV file that can be appended to", found: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw KeelError(path, expected: "the rows to be appended", found: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    /// The CSV text of `rows`. Like Python's csv module with QUOTE_MINIMAL, a field is quoted
    /// only when it holds the separator, a quote, "\r" or "\n" (quotes inside are doubled), and a
    /// row of one empty field is written `""` so it does not read back as a blank line.
    public static func encode(_ rows: [[String]], format: CSVFormat = .standard) -> [UInt8] {
        var output: [UInt8] = []
        let terminator = Array(format.lineTerminator.utf8)
        for row in rows {
            for (index, field) in row.enumerated() {
                if index > 0 { output.append(format.separatorByte) }
                let bytes = Array(field.utf8)
                if row.count == 1 && bytes.isEmpty || needsQuotes(bytes, separator: format.separatorByte) {
                    appendQuoted(bytes, to: &output)
                } else {
                    output += bytes
                }
            }
            output += terminator
        }
        return output
    }

    private static func needsQuotes(_ field: [UInt8], separator: UInt8) -> Bool {
        field.contains { $0 == separator || $0 == CSVFormat.quote || $0 == 0x0D || $0 == 0x0A }
    }

    /// libcsv's csv_write2 surrounds the field with quotes and doubles the quotes inside; the
    /// result is at most twice the field plus the two surrounding quotes.
    private static func appendQuoted(_ field: [UInt8], to output: inout [UInt8]) {
        let capacity = field.count * 2 + 2
        let start = output.count
        output += repeatElement(0, count: capacity)
        let written = output.withUnsafeMutableBufferPointer { buffer in
            field.withUnsafeBytes { source in
                csv_write2(buffer.baseAddress! + start, capacity, source.baseAddress, source.count, CSVFormat.quote)
            }
        }
        output.removeSubrange((start + written)...)
    }
}
