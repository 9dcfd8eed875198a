internal import CKeelMPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one thread that talks to MPI. Open MPI is initialised "funneled", so every MPI call of the
/// process runs here, in the order the jobs were submitted: the same order on every rank, which
/// is what collectives need. A training thread submits a gradient bucket and goes on with its
/// backward pass while this thread drives the reduction (communication overlaps computation).
///
/// Collectives are started non-blocking and polled, so a job that does not finish within
/// `timeout` (a rank that died or hangs) ends with an error instead of blocking forever.
final class MPIChannel: @unchecked Sendable {
    /// A submitted job; `wait` returns when the comm thread finished it.
    final class Ticket: @unchecked Sendable {
        fileprivate let condition = NSCondition()
        fileprivate var finished = false
        fileprivate var failure: KeelError?
        fileprivate let body: () throws -> Void
        let what: String

        fileprivate init(what: String, body: @escaping () throws -> Void) {
            self.what = what
            self.body = body
        }

        func wait() throws {
            condition.lock()
            while !finished { condition.wait() }
            condition.unlock()
            if let failure { throw failure }
        }

        fileprivate func finish(_ error: KeelError?) {
            condition.lock()
            failure = error
            finished = true
            condition.broadcast()
            condition.unlock()
        }
    }

    private let queue = NSCondition()
    private var pending: [Ticket] = []
    /// Set after the first failed collective: MPI's state is then unknown, so later jobs fail
    /// at once with the first error and the process does not call MPI_Finalize (it would wait
    /// for the rank that is gone).
    private(set) var brokenBy: KeelError?
    let timeout: Double
    /// "rank 1 of 2": every error names the rank it happened on.
    var place = "this rank"

    init(timeout: Double) {
        self.timeout = timeout
        // The thread keeps the channel alive for the life of the process.
        let thread = Thread { self.serve() }
        thread.name = "keel-mpi"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues `body` to run on the comm thread; MPI calls go only in such bodies.
    @discardableResult
    func submit(_ what: String, _ body: @escaping () throws -> Void) -> Ticket {
        let ticket = Ticket(what: what, body: body)
        queue.lock()
        pending.append(ticket)
        queue.signal()
        queue.unlock()
        return ticket
    }

    /// Runs `body` on the comm thread and waits for it.
    func run(_ what: String, _ body: @escaping () throws -> Void) throws {
        try submit(what, body).wait()
    }

    private func serve() {
        while true {
            queue.lock()
            while pending.isEmpty { queue.wait() }
            let ticket = pending.removeFirst()
            queue.unlock()
            if let brokenBy {
                ticket.finish(brokenBy)
                continue
            }
            do {
                try ticket.body()
                ticket.finish(nil)
            } catch let error as KeelError {
                brokenBy = error
                ticket.finish(error)
            } catch {
                let wrapped = KeelError("distributed \(ticket.what) on \(place)", expected: "success", found: "\(error)")
                brokenBy = wrapped
                ticket.finish(wrapped)
            }
        }
    }

    // MARK: helpers for job bodies (comm thread only)

    /// Throws a KeelError naming the operation when `code` is an MPI error.
    func check(_ code: Int32, _ what: String) throws {
        guard code != 0 else { return }
        throw KeelError("distributed \(what) on \(place)", expected: "every rank of the job to take part",
                        found: "\(MPIChannel.message(for: code)); another rank has probably ended, so this one stops too")
    }

    static func message(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        keel_mpi_error_string(code, &buffer, buffer.count)
        return String(cString: buffer)
    }

    /// Polls a started collective to completion. Open MPI's non-blocking collectives advance only
    /// inside MPI_Test, so every pause between polls delays each round of the algorithm: the
    /// first milliseconds poll without pause (yielding the core to any thread of this process
    /// that wants it: the backward pass when buckets overlap), then ever longer naps, so a rank
    /// waiting for a much slower one does not take the core that rank needs.
    func complete(_ start: (inout OpaquePointer?) -> Int32, _ what: String) throws {
        var request: OpaquePointer?
        try check(start(&request), what)
        guard let request else {
            throw KeelError("distributed \(what) on \(place)", expected: "a started MPI request", found: "none (out of memory)")
        }
        let began = DispatchTime.now().uptimeNanoseconds
        var polls = 0
        while true {
            var done: Int32 = 0
            try check(keel_mpi_test(request, &done), what)
            if done != 0 { return }
            polls &+= 1
            guard polls & 15 == 0 else { continue }
            let waited = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            if waited > timeout {
                throw KeelError("distributed \(what) on \(place)",
                                expected: "every rank to join within \(Int(timeout)) s (KEEL_DISTRIBUTED_TIMEOUT)",
                                found: "no answer after \(Int(waited)) s: another rank has stopped or hangs")
            }
            if waited < 0.01 {
                sched_yield()
            } else {
                usleep(waited < 0.1 ? 50 : 500)
            }
        }
    }
}
