/// A CSV file whose first row names the columns, as CSVLogger and pandas write them.
public struct CSVTable: Equatable, Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// Reads a table: the first row is the header and every other row must have as many fields.
    public static func read(_ path: String, separator: Character = ",", strict: Bool = true) throws -> CSVTable {
        try read(bytes: FileBytes.read(path, what: "CSV file"), name: path, separator: separator, strict: strict)
    }

    /// Parses a table from CSV bytes; `name` identifies them in errors.
    public static func read(bytes: [UInt8], name: String, separator: Character = ",",
                            strict: Bool = true) throws -> CSVTable {
        let records = try CSV.records(in: bytes, name: name, separator: separator, strict: strict)
        guard let header = records.first else {
            throw KeelError(name, expected: "a header row", found: "no rows (only blank lines)")
        }
        for record in records.dropFirst() where record.fields.count != header.fields.count {
            throw KeelError(name, expected: "\(header.fields.count) fields per row like the header",
                            found: "\(record.fields.count) fields in the row ending on line \(record.line)")
        }
        return CSVTable(header: header.fields, rows: records.dropFirst().map(\.fields))
    }

    /// Writes the header and rows to `path`, atomically.
    public func write(to path: String, format: CSVFormat = .standard) throws {
        try CSV.write([header] + rows, to: path, format: format)
    }

    /// The values of the column named `name`, top to bottom.
    public func column(_ name: String) throws -> [String] {
        let index = try columnIndex(name)
        return rows.map { $0.indices.contains(index) ? $0[index] : "" }
    }

    /// The column named `name` as numbers; Python's spellings of infinities and NaN are accepted.
    public func numericColumn(_ name: String) throws -> [Double] {
        try column(name).enumerated().map { row, text in
            guard let value = Double(text) ?? Self.pythonSpecialValues[text.lowercased()] else {
                throw KeelError("CSV column '\(name)'", expected: "numbers", found: "'\(text)' in data row \(row + 1)")
            }
            return value
        }
    }

    public func columnIndex(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw KeelError("CSV table", expected: "a column named '\(name)'",
                            found: "columns " + header.map { "'\($0)'" }.joined(separator: ", "))
        }
        return index
    }

    private static let pythonSpecialValues: [String: Double] = [
        "inf": .infinity, "-inf": -.infinity, "+inf": .infinity, "nan": .nan,
    ]
}
