/// The type of a CSV column in `csvDataset`.
public enum CSVColumnType: String, Sendable {
    case float32, int32, string
}

/// A value standing in for an empty field of a CSV column (tf.data's `column_defaults`); its
/// case also fixes the column's type.
public enum CSVDefault: Sendable, Equatable {
    case float32(Float)
    case int32(Int32)
    case string(String)
    /// The field is required: an empty one is an error naming its row and column.
    case required(CSVColumnType)

    var type: CSVColumnType {
        switch self {
        case .float32: return .float32
        case .int32: return .int32
        case .string: return .string
        case .required(let type): return type
        }
    }
}

/// A CSV file as a dataset of named columns (tf.data's `make_csv_dataset` shape): each element is
/// a dictionary from column name to a scalar (float32 or int32 tensor, or string), or, with
/// `labelColumn`, a tuple (features dictionary, label). The file is read through libcsv.
///
/// - `columnDefaults` (one per selected column, in file order) gives each column's type and the
///   value of an empty field; without it, every field is required and each column's type is
///   inferred: int32 if all its fields are integers, float32 if all are numbers, string otherwise.
/// - `header: false` names the columns "column_1", "column_2", ...
/// - `selectColumns` keeps only the named columns, in file order.
/// A field that does not parse as its column's type, or a row with the wrong number of fields,
/// is an error naming the file, the row and the column.
public func csvDataset(
    path: String, columnDefaults: [CSVDefault]? = nil, header: Bool = true, selectColumns: [String]? = nil,
    labelColumn: String? = nil, batchSize: Int? = nil, separator: Character = ","
) throws -> Dataset {
    if let batchSize, batchSize < 1 {
        throw KeelError("batchSize", expected: "a positive integer or nil (no batching)", found: "\(batchSize)")
    }
    let table = try CSVColumns.read(path: path, header: header, separator: separator)
    var selected = Array(table.names.indices)
    if let selectColumns {
        for name in selectColumns where !table.names.contains(name) {
            throw KeelError("selectColumns of \(path)", expected: "names of its columns (\(table.names.joined(separator: ", ")))", found: "'\(name)'")
        }
        selected = selected.filter { selectColumns.contains(table.names[$0]) }
    }
    if let columnDefaults, columnDefaults.count != selected.count {
        throw KeelError("columnDefaults for \(path)", expected: "one per selected column (\(selected.count))",
                        found: "\(columnDefaults.count)")
    }
    if let labelColumn, !selected.contains(where: { table.names[$0] == labelColumn }) {
        throw KeelError("labelColumn of \(path)", expected: "one of the selected columns (\(selected.map { table.names[$0] }.joined(separator: ", ")))",
                        found: "'\(labelColumn)'")
    }
    var features: [(key: String, value: DataElement)] = []
    var label: DataElement?
    for (position, column) in selected.enumerated() {
        let name = table.names[column]
        let fields = table.rows.map { $0[column] }
        let columnDefault = columnDefaults?[position] ?? .required(CSVColumns.inferType(fields))
        let values = try CSVColumns.parse(fields, as: columnDefault, column: name, path: path, firstRow: header ? 2 : 1)
        if name == labelColumn { label = values } else { features.append((name, values)) }
    }
    var dataset = try Dataset.fromTensorSlices(label.map { .tuple([.dict(features), $0]) } ?? .dict(features))
    if let batchSize { dataset = try dataset.batch(batchSize) }
    return dataset
}

/// The rows of a CSV file, every row as wide as the first, and the typed columns made of them.
enum CSVColumns {
    static func read(path: String, header: Bool, separator: Character) throws -> (names: [String], rows: [[String]]) {
        let records = try CSV.read(path, separator: separator)
        guard let first = records.first else {
            throw KeelError(path, expected: "CSV rows", found: "no rows")
        }
        let names = header ? first : (1...first.count).map { "column_\($0)" }
        let rows = header ? Array(records.dropFirst()) : records
        for (offset, row) in rows.enumerated() where row.count != names.count {
            throw KeelError(path, expected: "\(names.count) fields in every row",
                            found: "\(row.count) fields in row \(offset + (header ? 2 : 1))")
        }
        return (names, rows)
    }

    static func inferType(_ fields: [String]) -> CSVColumnType {
        if !fields.isEmpty, fields.allSatisfy({ Int32($0) != nil }) { return .int32 }
        if !fields.isEmpty, fields.allSatisfy({ number($0) != nil }) { return .float32 }
        return .string
    }

    /// One column as a [rows] tensor or string array; `firstRow` is the first data row's number
    /// in the file (counting the header), for error messages.
    static func parse(_ fields: [String], as columnDefault: CSVDefault, column: String, path: String,
                      firstRow: Int) throws -> DataElement {
        func fail(_ row: Int, _ text: String, _ expected: String) -> KeelError {
            KeelError("\(path), row \(firstRow + row), column '\(column)'", expected: expected,
                      found: text.isEmpty ? "an empty field" : "'\(text)'")
        }
        switch columnDefault.type {
        case .string:
            var values: [String] = []
            values.reserveCapacity(fields.count)
            for (row, text) in fields.enumerated() {
                if text.isEmpty {
                    if case .string(let value) = columnDefault { values.append(value); continue }
                    throw fail(row, text, "a value (the column has no default)")
                }
                values.append(text)
            }
            return .strings(StringArray(values))
        case .int32:
            var values: [Int32] = []
            values.reserveCapacity(fields.count)
            for (row, text) in fields.enumerated() {
                if text.isEmpty, case .int32(let value) = columnDefault { values.append(value); continue }
                guard let value = Int32(text.trimmingSpaces) else { throw fail(row, text, "a 32-bit integer") }
                values.append(value)
            }
            return .tensor(Tensor(shape: [values.count], int32s: values))
        case .float32:
            var values: [Float] = []
            values.reserveCapacity(fields.count)
            for (row, text) in fields.enumerated() {
                if text.isEmpty, case .float32(let value) = columnDefault { values.append(value); continue }
                guard let value = number(text) else { throw fail(row, text, "a number") }
                values.append(value)
            }
            return .tensor(Tensor(shape: [values.count], scalars: values))
        }
    }

    /// A float as Python and pandas spell them (with "inf", "nan" in any case).
    static func number(_ text: String) -> Float? {
        let trimmed = text.trimmingSpaces
        if let value = Float(trimmed) { return value }
        switch trimmed.lowercased() {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }
}

private extension String {
    var trimmingSpaces: Substring {
        var text = self[...]
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
