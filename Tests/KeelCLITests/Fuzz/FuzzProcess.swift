import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How one `keel` invocation on a mutated input ended.
enum FuzzOutcome: String, CaseIterable {
    case success, cleanError = "clean error", unclearError = "unclear error", crash, hang

    var isFailure: Bool { self == .crash || self == .hang }
}

/// Runs `keel` in its own process group with a time-out, output to files (no pipe can fill up),
/// and classifies the ending: a signal, an exit status of 128+N or a runtime trap message on
/// stderr is a crash; the time-out is a hang (the whole group is killed); a non-zero status with
/// an `Error` line is a clean error.
enum FuzzProcess {
    struct Result {
        let outcome: FuzzOutcome
        let status: String
        let stderr: String
        let seconds: Double
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String,
                    environment: [String: String], timeout: Double) -> Result {
        let stdoutPath = directory + "/stdout.txt", stderrPath = directory + "/stderr.txt"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        // `env -C` starts keel in `directory` (it execs, so the pid and group stay keel's) without
        // the shared test process changing its own working directory.
        let argv = ["/usr/bin/env", "-C", directory, executable] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }

        let started = Date()
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else {
            return Result(outcome: .crash, status: "spawn failed: \(String(cString: strerror(spawned)))", stderr: "", seconds: 0)
        }
        var status: Int32 = 0
        var timedOut = false
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if Date().timeIntervalSince(started) > timeout {
                timedOut = true
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(done == 0 && Date().timeIntervalSince(started) < 1 ? 2_000 : 20_000)
        }
        kill(-pid, SIGKILL) // anything the child left running in its group (compilers, helpers)
        let seconds = Date().timeIntervalSince(started)
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8))
            ?? String(decoding: (FileManager.default.contents(atPath: stderrPath) ?? Data()), as: UTF8.self)
        if timedOut {
            return Result(outcome: .hang, status: "timed out after \(Int(timeout)) s", stderr: stderr, seconds: seconds)
        }
        // WIFSIGNALED / WEXITSTATUS spelled out: the C macros are not imported into Swift.
        let signal = status & 0x7F
        if signal != 0 && signal != 0x7F {
            return Result(outcome: .crash, status: "killed by signal \(signal)", stderr: stderr, seconds: seconds)
        }
        let code = (status >> 8) & 0xFF
        let trapped = ["Fatal error", "Illegal instruction", "Segmentation fault", "Bus error", "Aborted",
                       "Stack dump", "Program crashed", "Trace/breakpoint", "double free", "AddressSanitizer"].contains { stderr.contains($0) }
        if code >= 128 || trapped {
            return Result(outcome: .crash, status: "exit \(code)", stderr: stderr, seconds: seconds)
        }
        if code == 0 { return Result(outcome: .success, status: "exit 0", stderr: stderr, seconds: seconds) }
        let clean = stderr.split(separator: "\n").contains { $0.contains("Error") || $0.contains("error:") }
        return Result(outcome: clean ? .cleanError : .unclearError, status: "exit \(code)", stderr: stderr, seconds: seconds)
    }
}
