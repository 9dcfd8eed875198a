import Foundation

/// What the other ranks of a distributed `keel resume` need from rank 0's run directory: its
/// config.json and its resume state (checkpoints/resume.json, resume.h5, the fit backups). Rank 0
/// reads them and broadcasts them, so ranks on hosts that do not see the run directory (no
/// shared file system) resume from the same state as rank 0; they unpack it into their scratch
/// directory. The models' epoch checkpoints and the rest stay with rank 0.
struct ResumeBundle {
    /// Paths relative to the run directory, and their bytes.
    var files: [(path: String, bytes: [UInt8])] = []

    static func collect(_ run: RunDirectory) throws -> ResumeBundle {
        var bundle = ResumeBundle()
        let files = FileManager.default
        func add(_ relative: String) throws {
            bundle.files.append((relative, try FileBytes.read(run.path + "/" + relative, what: "resume state")))
        }
        try add("config.json")
        let entries = ((try? files.contentsOfDirectory(atPath: run.checkpoints)) ?? []).sorted()
        for name in entries {
            let relative = "checkpoints/" + name
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: run.path + "/" + relative, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                guard name == "backup" || name.hasPrefix("backup_") else { continue }
                for inner in ((try? files.contentsOfDirectory(atPath: run.path + "/" + relative)) ?? []).sorted() {
                    var innerIsDirectory: ObjCBool = false
                    if files.fileExists(atPath: run.path + "/" + relative + "/" + inner, isDirectory: &innerIsDirectory),
                       !innerIsDirectory.boolValue {
                        try add(relative + "/" + inner)
                    }
                }
            } else if name == "resume.json" || name == "resume.h5" {
                try add(relative)
            }
        }
        return bundle
    }

    private static let magic = Array("keel-resume-bundle-1\n".utf8)

    var bytes: [UInt8] {
        var out = ResumeBundle.magic
        func append(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { out += $0 } }
        append(files.count)
        for (path, bytes) in files {
            let name = Array(path.utf8)
            append(name.count)
            out += name
            append(bytes.count)
            out += bytes
        }
        return out
    }

    init() {}

    init(bytes: [UInt8]) throws {
        var offset = ResumeBundle.magic.count
        func bad(_ why: String) -> KeelError {
            KeelError("resume state received from rank 0", expected: "a bundle of files", found: why)
        }
        guard bytes.starts(with: ResumeBundle.magic) else { throw bad("another format") }
        func integer() throws -> Int {
            guard offset + 8 <= bytes.count else { throw bad("a cut-off bundle") }
            let value = bytes[offset..<offset + 8].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            offset += 8
            guard value <= UInt64(bytes.count - offset) else { throw bad("a length past its end") }
            return Int(value)
        }
        let count = try integer()
        for _ in 0..<count {
            let nameLength = try integer()
            let path = String(decoding: bytes[offset..<offset + nameLength], as: UTF8.self)
            offset += nameLength
            let length = try integer()
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { throw bad("the path \(path)") }
            files.append((path, Array(bytes[offset..<offset + length])))
            offset += length
        }
    }

    func file(_ path: String) -> [UInt8]? { files.first { $0.path == path }?.bytes }

    func unpack(into run: RunDirectory) throws {
        for (path, bytes) in files { try AtomicFile.write(bytes, to: try run.file(path)) }
    }
}
