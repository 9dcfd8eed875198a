import Foundation

/// One reader of Keel driven through one command: which seeds it mutates, how, and how the
/// mutated file is laid out for the command.
struct FuzzTarget {
    let reader: String
    let command: String
    let weight: Int
    /// Seed names, for the report and for choosing.
    let seeds: [String]
    /// Writes input `seed` mutated by `random` under `directory`; returns the keel arguments and
    /// the mutation's description.
    let make: (_ seed: Int, _ random: inout FuzzRandom, _ directory: String) throws -> (arguments: [String], mutation: String)

    var name: String { "\(reader) (\(command))" }
}

/// The per-reader tally of a campaign.
struct FuzzTally {
    var counts: [FuzzOutcome: Int] = [:]
    /// Runs that left a scratch file in their (private) temporary directory.
    var leftTemporaryFiles = 0
    var runs: Int { counts.values.reduce(0, +) }
    subscript(outcome: FuzzOutcome) -> Int { counts[outcome] ?? 0 }
}

/// A finding: the input that crashed or hung, kept on disk with everything needed to rerun it.
struct FuzzFinding {
    let target: String
    let index: Int
    let mutation: String
    let arguments: [String]
    let result: FuzzProcess.Result
    let kept: String
}

/// Generates `count` inputs from `seed`, runs each through `keel` (two at a time), and tallies
/// them per target. Input `i` depends only on (seed, i): `onlyIndex` reruns one of them.
final class FuzzCampaign {
    let keel: String
    let targets: [FuzzTarget]
    let seed: UInt64
    let count: Int
    let timeout: Double
    let workDirectory: String
    let findingsDirectory: String
    var onlyIndex: Int?

    private let lock = NSLock()
    private(set) var tallies: [String: FuzzTally] = [:]
    private(set) var findings: [FuzzFinding] = []
    private(set) var generationErrors: [String] = []
    private(set) var seconds = 0.0

    init(keel: String, targets: [FuzzTarget], seed: UInt64, count: Int, timeout: Double,
         workDirectory: String, findingsDirectory: String) {
        self.keel = keel
        self.targets = targets
        self.seed = seed
        self.count = count
        self.timeout = timeout
        self.workDirectory = workDirectory
        self.findingsDirectory = findingsDirectory
    }

    /// The reproducer line printed with every finding.
    func reproducer(_ index: Int) -> String {
        "KEEL_FUZZ_SEED=\(seed) KEEL_FUZZ_ONLY=\(index) KEEL_FUZZ_KEEL=\(keel) swift test --skip-build --disable-swift-testing --filter FuzzTests"
    }

    func run(parallel: Int = 2) {
        let started = Date()
        let indices = onlyIndex.map { [$0] } ?? Array(0..<count)
        var next = 0
        DispatchQueue.concurrentPerform(iterations: max(1, min(parallel, indices.count))) { _ in
            while true {
                lock.lock()
                guard next < indices.count else { lock.unlock(); return }
                let index = indices[next]
                next += 1
                lock.unlock()
                runInput(index)
            }
        }
        seconds = Date().timeIntervalSince(started)
    }

    private func runInput(_ index: Int) {
        var random = FuzzRandom(campaign: seed, input: index)
        let target = targets[random.weighted(targets.map(\.weight))]
        let seedIndex = random.below(target.seeds.count)
        let directory = "\(workDirectory)/input-\(index)"
        try? FileManager.default.removeItem(atPath: directory)
        let arguments: [String], mutation: String
        do {
            try FileManager.default.createDirectory(atPath: directory + "/tmp", withIntermediateDirectories: true)
            (arguments, mutation) = try target.make(seedIndex, &random, directory)
        } catch {
            lock.lock(); generationErrors.append("input \(index) (\(target.name)): \(error)"); lock.unlock()
            return
        }
        let result = FuzzProcess.run(keel, arguments, in: directory, environment: ["TMPDIR": directory + "/tmp"], timeout: timeout)
        let description = "\(target.seeds[seedIndex]): \(mutation)"
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/tmp")) ?? []
        var kept = ""
        if result.outcome.isFailure {
            kept = "\(findingsDirectory)/\(target.reader)-\(target.command)-seed\(seed)-input\(index)"
            try? FileManager.default.removeItem(atPath: kept)
            try? FileManager.default.createDirectory(atPath: findingsDirectory, withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: directory, toPath: kept)
            let readme = """
                reader: \(target.reader), command: keel \(arguments.joined(separator: " "))
                (run in this directory)
                outcome: \(result.outcome.rawValue), \(result.status) (\(String(format: "%.1f", result.seconds)) s)
                seed: \(seed), input: \(index), mutation: \(description)
                reproduce the whole input: \(reproducer(index))
                stderr (tail):
                \(result.stderr.suffix(2000))

                """
            try? readme.write(toFile: kept + "/FINDING.txt", atomically: true, encoding: .utf8)
        }
        if !result.outcome.isFailure && onlyIndex == nil { try? FileManager.default.removeItem(atPath: directory) }
        lock.lock()
        tallies[target.name, default: FuzzTally()].counts[result.outcome, default: 0] += 1
        if !leftovers.isEmpty { tallies[target.name, default: FuzzTally()].leftTemporaryFiles += 1 }
        if result.outcome.isFailure {
            findings.append(FuzzFinding(target: target.name, index: index, mutation: description,
                                        arguments: arguments, result: result, kept: kept))
        }
        lock.unlock()
    }

    var total: FuzzTally {
        var sum = FuzzTally()
        for tally in tallies.values {
            for (outcome, n) in tally.counts { sum.counts[outcome, default: 0] += n }
            sum.leftTemporaryFiles += tally.leftTemporaryFiles
        }
        return sum
    }

    /// The table printed at the end: one row per reader and command, then the total.
    var table: String {
        let columns: [FuzzOutcome] = [.success, .cleanError, .unclearError, .crash, .hang]
        let names = targets.map(\.name)
        let width = max(24, (names.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        var lines = [pad("reader (command)", width) + lpad("runs", 7) + columns.map { lpad($0.rawValue, 15) }.joined()
                     + lpad("temp files left", 17)]
        func row(_ name: String, _ tally: FuzzTally) -> String {
            pad(name, width) + lpad("\(tally.runs)", 7) + columns.map { lpad("\(tally[$0])", 15) }.joined()
                + lpad("\(tally.leftTemporaryFiles)", 17)
        }
        for name in names { lines.append(row(name, tallies[name] ?? FuzzTally())) }
        let sum = total
        lines.append(row("total", sum))
        lines.append("seed \(seed), \(sum.runs) inputs in \(String(format: "%.0f", seconds)) s, time-out \(Int(timeout)) s, keel \(keel)")
        return lines.joined(separator: "\n")
    }

    var json: [String: Any] {
        var readers: [[String: Any]] = []
        for target in targets {
            let tally = tallies[target.name] ?? FuzzTally()
            readers.append(["reader": target.reader, "command": target.command, "runs": tally.runs,
                            "successes": tally[.success], "clean_errors": tally[.cleanError],
                            "unclear_errors": tally[.unclearError], "crashes": tally[.crash], "hangs": tally[.hang],
                            "runs_leaving_temporary_files": tally.leftTemporaryFiles])
        }
        let sum = total
        return ["seed": seed, "inputs": sum.runs, "seconds": Int(seconds), "timeout_seconds": timeout, "keel": keel,
                "readers": readers, "crashes": sum[.crash], "hangs": sum[.hang],
                "findings": findings.map { ["reader": $0.target, "input": $0.index, "mutation": $0.mutation,
                                            "outcome": $0.result.outcome.rawValue, "status": $0.result.status,
                                            "kept": $0.kept, "reproduce": reproducer($0.index)] }]
    }
}
