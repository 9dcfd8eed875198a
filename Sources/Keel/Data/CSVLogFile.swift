/// A CSV log for hand-written training loops, in CSVLogger's format (`\r\n`, header first):
/// each `append` adds one complete row to the file.
public struct CSVLogFile {
    public let path: String
    public let header: [String]

    /// Starts the file with `header` (replacing an older one).
    public init(path: String, header: [String]) throws {
        self.path = path
        self.header = header
        try CSV.write([header], to: path)
    }

    public func append(_ row: [String]) throws {
        guard row.count == header.count else {
            throw KeelError("CSV log \(path): row \(row)", expected: "\(header.count) values (\(header))", found: "\(row.count)")
        }
        try CSV.append([row], to: path)
    }
}
