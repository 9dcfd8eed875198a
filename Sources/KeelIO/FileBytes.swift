import Foundation

/// Reads whole files for the format readers, with the file named in every error.
public enum FileBytes {
    public static func read(_ path: String, what: String = "file") throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KeelError("\(path)", expected: "an existing \(what)", found: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw KeelError("\(path)", expected: "a \(what)", found: "a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeelError("\(path)", expected: "a readable \(what)", found: "permission denied or I/O error")
        }
        return [UInt8](data)
    }
}
