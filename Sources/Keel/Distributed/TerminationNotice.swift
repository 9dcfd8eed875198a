#if canImport(Glibc)
import Glibc
#endif

/// When one rank of a job dies, mpirun ends the others with SIGTERM. Without a handler they
/// would vanish silently; this one prints, on each of them, why it stopped and how to continue.
/// The message is built ahead of time: a signal handler may only call async-signal-safe
/// functions such as write(2).
enum TerminationNotice {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var place = (rank: 0, size: 1)

    static func install(rank: Int, size: Int) {
        place = (rank, size)
        prepare(runDirectory: nil)
        signal(SIGTERM) { _ in
            if let text = TerminationNotice.message { _ = write(STDERR_FILENO, text, TerminationNotice.length) }
            _exit(143)
        }
    }

    /// Once this rank has printed why it stops, a SIGTERM from mpirun (another rank ended while
    /// this one was leaving) adds nothing: the handler then exits without a message.
    static func silence() {
        length = 0
        message = nil
    }

    /// Names the run directory in the message once the run has one.
    static func prepare(runDirectory: String?) {
        let resume = runDirectory.map { "; `mpirun -np \(place.size) keel resume \($0)` continues it from its last checkpoint" } ?? ""
        let text = "keel (rank \(place.rank) of \(place.size)): stopped by mpirun because another rank of the job ended "
            + "(mpirun's message says which)\(resume)\n"
        let bytes = Array(text.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        // The old buffer is left allocated: a handler running now may still be reading it.
        length = bytes.count - 1
        message = buffer
    }
}
