import Foundation
import XCTest
import KeelTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What one mpirun job left behind: mpirun's own output and each rank's.
struct MPIJobResult {
    /// mpirun's exit status; 124 or 137 when the time-out ended it.
    let status: Int32
    let launcher: ProcessResult
    /// Rank r's stdout and stderr, in rank order.
    let ranks: [(stdout: String, stderr: String)]
    let seconds: Double

    var timedOut: Bool { status == 124 || status == 137 }

    /// Everything, for assertion messages.
    var transcript: String {
        var text = "mpirun exit \(status) after \(String(format: "%.1f", seconds)) s\n"
            + "mpirun stdout:\n\(launcher.stdout)\nmpirun stderr:\n\(launcher.stderr)\n"
        for (r, output) in ranks.enumerated() {
            text += "rank \(r) stdout:\n\(output.stdout)\nrank \(r) stderr:\n\(output.stderr)\n"
        }
        return text
    }
}

/// Runs the built `keel` as the ranks of one Open MPI job. Each rank's stdout and stderr go to
/// their own files (mpirun would interleave them), and every job has a time-out, so a test never
/// hangs on a rank that waits forever.
enum MPIJob {
    /// Open MPI's launcher; a test dependency (`openmpi-bin`), so its absence fails the test.
    static func mpirun() throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestSupportError.missingTool("mpirun is missing; install Open MPI (`apt-get install openmpi-bin`, see the Makefile's test deps)")
    }

    /// Options for ranks on this host: more ranks than cores, and no cross-memory attach
    /// (containers usually forbid the ptrace it needs).
    static let localOptions = ["--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]

    /// `keel <arguments>` as `ranks` ranks, in `keel`'s scratch directory. `{rank}` in an argument
    /// becomes the rank (e.g. `--run-dir run-{rank}`), `environment` is set on every rank, and
    /// `launcher` goes before mpirun (e.g. `ip netns exec <ns>`). Each job gets its own folder
    /// for the rank outputs and any files `prepare` writes there (hostfiles, agents).
    static func run(_ keel: KeelProcess, ranks: Int, _ arguments: [String], environment: [String: String] = [:],
                    timeout: Double, options: [String] = localOptions, launcher: [String] = [],
                    prepare: (URL) throws -> [String] = { _ in [] }) throws -> MPIJobResult {
        let mpirun = try mpirun()
        let folder = keel.directory.appendingPathComponent("mpi-job-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let extraOptions = try prepare(folder)
        let rankScript = folder.appendingPathComponent("rank.sh")
        try """
            #!/bin/sh
            # One rank: {rank} in the arguments becomes this rank; outputs go to this job's folder.
            r="${OMPI_COMM_WORLD_RANK:?not started by mpirun}"
            for a in "$@"; do shift; set -- "$@" "$(printf '%s\\n' "$a" | sed "s/{rank}/$r/g")"; done
            exec '\(ProjectPaths.keelExecutable.path)' "$@" > '\(folder.path)'/rank-$r.stdout 2> '\(folder.path)'/rank-$r.stderr

            """.write(to: rankScript, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: rankScript.path)
        var command = launcher + ["timeout", "-k", "10", String(Int(timeout)), mpirun.path, "-np", String(ranks),
                                  "-wdir", keel.directory.path] + options + extraOptions
        if getuid() == 0 { command.append("--allow-run-as-root") }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { command += ["-x", "\(key)=\(value)"] }
        command += [rankScript.path] + arguments
        let start = Date()
        let launched = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), command, currentDirectory: keel.directory)
        let outputs = (0..<ranks).map { r in
            (stdout: (try? String(contentsOf: folder.appendingPathComponent("rank-\(r).stdout"), encoding: .utf8)) ?? "",
             stderr: (try? String(contentsOf: folder.appendingPathComponent("rank-\(r).stderr"), encoding: .utf8)) ?? "")
        }
        return MPIJobResult(status: launched.status, launcher: launched, ranks: outputs, seconds: Date().timeIntervalSince(start))
    }
}
