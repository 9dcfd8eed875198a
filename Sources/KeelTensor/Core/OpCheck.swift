import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Checks of what callers hand the engine (shapes, ranks, axes, indices, dtypes, sizes), with
/// the same behaviour in every build. `precondition` cannot do this job: release builds compile
/// KeelTensor with `-Ounchecked`, which removes preconditions (the op then reads or writes past
/// its buffers), and `-O` keeps the trap but drops the message. A plain `if` survives both.
///
/// Ops keep their non-throwing math API, so a failed check ends the process: the message names
/// the op and the shapes, and is all the user sees.
public enum OpCheck {
    /// The status a failed check exits with: EX_SOFTWARE (sysexits.h), "internal software
    /// error" — the program (an experiment, a plugin) asked an op for something impossible.
    public static let exitStatus: Int32 = 70

    private static let hook = Mutex<((String) -> Void)?>(nil)
    /// The first failing thread, so a second failure (another thread, or the hook itself
    /// failing a check) cannot run the hook twice or call `exit` concurrently.
    private static let failingThread = Atomic<UInt>(0)
    /// The first failure's message, for when the hook itself fails a check.
    private static let firstMessage = Mutex<String>("")

    /// Called once, with the message, before a failed check ends the process; the CLI sets it to
    /// record the run's status. It runs on the failing thread and must not block for long.
    public static var onFailure: ((String) -> Void)? {
        get { hook.withLock { $0 } }
        set { hook.withLock { $0 = newValue } }
    }

    /// Reports `message` and ends the process: the hook, then one `Error: <message>` line on
    /// stderr, then `exit(exitStatus)`.
    ///
    /// `exit` rather than a trap (`fatalError`, `abort`): a trap raises a signal, for which the
    /// Swift runtime prints a crash report and a backtrace of a hundred lines around the one line
    /// that matters, and the parent sees a signal instead of an exit status. `exit` rather than
    /// `_exit`: it flushes stdout, so the progress already printed (and a run log redirected to a
    /// file) is complete up to the failure.
    @inline(never)
    public static func fail(_ message: String) -> Never {
        let me = UInt(pthread_self())
        let (won, first) = failingThread.compareExchange(expected: 0, desired: me, ordering: .sequentiallyConsistent)
        if !won {
            // The hook failed a check of its own: the first message is what the user needs.
            if first == me { finish(firstMessage.withLock { $0 }) }
            // Another thread is already reporting and will end the process.
            while true { sleep(1000) }
        }
        firstMessage.withLock { $0 = message }
        if let onFailure { onFailure(message) }
        finish(message)
    }

    private static func finish(_ message: String) -> Never {
        fflush(stdout)
        writeErrorLine(message)
        exit(exitStatus)
    }

    /// The message as exactly one `Error:` line, written with one `write` so it is not interleaved.
    static func errorLine(_ message: String) -> String {
        let flat = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "Error: \(flat)\n"
    }

    private static func writeErrorLine(_ message: String) {
        var line = errorLine(message)
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}

/// Checks a condition on an op's arguments in every build (see `OpCheck`): when it is false, the
/// process ends with one `Error: <message>` line. The message is built only then; name the op and
/// the shapes: `opCheck(a.rank == 2, "matmul: expected a matrix, found shape \(a.shape)")`.
@inlinable @inline(__always)
public func opCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if _slowPath(!condition) { OpCheck.fail(message()) }
}
