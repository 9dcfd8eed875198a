import Foundation

/// In a distributed run only rank 0 writes the run directory. The other ranks run the same
/// experiment code, so they get a private directory of their own to write into (logs,
/// checkpoints, backups nobody reads), removed when they finish:
/// `$TMPDIR/keel-ranks/<host>-<pid>-<start>`. A rank ended by a signal cannot remove its
/// directory; the next rank to start on that host removes those of processes that are gone.
enum RankScratch {
    static var root: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("keel-ranks").path
    }

    /// A new scratch run directory for this process.
    static func create() throws -> RunDirectory {
        removeAbandoned()
        let me = ProcessIdentity.current()
        let path = root + "/\(host)-\(me.pid)-\(me.startTicks ?? 0)"
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw KeelError("scratch directory \(path) of rank \(Distributed.rank)", expected: "a directory that can be created",
                            found: "\(error)")
        }
        return RunDirectory(path: path)
    }

    static func remove(_ run: RunDirectory) {
        try? FileManager.default.removeItem(atPath: run.path)
        // The parent goes too once no rank uses it (another rank's removal may race: ignored).
        if (try? FileManager.default.contentsOfDirectory(atPath: root))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// Removes the scratch directories this host's dead processes left behind.
    private static func removeAbandoned() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let prefix = host + "-"
        for name in names where name.hasPrefix(prefix) {
            let fields = name.dropFirst(prefix.count).split(separator: "-")
            guard fields.count == 2, let pid = Int32(fields[0]), let ticks = UInt64(fields[1]) else { continue }
            let owner = ProcessIdentity(pid: pid, startTicks: ticks == 0 ? nil : ticks, bootID: nil)
            if !owner.isAlive { try? FileManager.default.removeItem(atPath: root + "/" + name) }
        }
    }

    private static var host: String {
        ProcessInfo.processInfo.hostName.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: "/", with: "_")
    }
}

/// Rank 0 does something only it may do (make the run directory, read a run to resume) and
/// shares the outcome: its bytes, or that it failed, so the other ranks stop with it instead of
/// waiting in a collective that never comes.
enum RootDecision {
    static func share(_ what: String, _ decide: () throws -> [UInt8]) throws -> [UInt8] {
        guard Distributed.isActive else { return try decide() }
        var outcome: Result<[UInt8], Error> = .success([])
        if Distributed.isRoot { outcome = Result { try decide() } }
        let message: [UInt8]
        switch outcome {
        case .success(let bytes): message = [1] + bytes
        case .failure: message = [0]
        }
        let received = try Distributed.broadcast(bytes: message, root: 0, name: what)
        if case .failure(let error) = outcome { throw error }
        guard received.first == 1 else {
            // Rank 0 prints its error; repeating it on every rank would bury it.
            throw KeelError("keel (rank \(Distributed.rank) of \(Distributed.size)): \(what)", expected: "rank 0 to succeed",
                            found: "rank 0 failed (its error says why)")
        }
        return Array(received.dropFirst())
    }
}
