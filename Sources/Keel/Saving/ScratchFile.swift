import Foundation

/// A path in a new private scratch directory, removed with everything in it afterwards.
enum ScratchFile {
    static func withPath<T>(named name: String, _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("keel-saving-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw KeelError(directory.path, expected: "a scratch directory", found: "\(error)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory.appendingPathComponent(name).path)
    }
}
