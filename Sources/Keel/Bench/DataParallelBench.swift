import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The data-parallel figures: the W2 model's training step (batch 32 per rank, Adam) with its
/// gradients averaged through `DistributedOptimizer(wrapping:)`, on 2 ranks of one host against
/// the same step without averaging (its compute) and against 1 rank. Every rank uses one thread
/// (OPENBLAS_NUM_THREADS=1, KEEL_NUM_THREADS=1), so the ranks do not fight over the cores and
/// scaling means processes, not threads.
enum DataParallelBench {
    static let marker = "KEEL_DP_FIGURES "
    static let threadEnvironment = ["OPENBLAS_NUM_THREADS": "1", "KEEL_NUM_THREADS": "1"]
    static let batchSize = 32

    // MARK: parent: `keel bench`

    /// Runs the worker on 1 rank and, through mpirun, on 2; nil (with a note printed) when
    /// mpirun is missing.
    static func measure(executable: URL) throws -> [BenchFigure]? {
        guard let mpirun = findMPIRun() else {
            print("mpirun not found on PATH: dp_allreduce_overhead and dp_scaling_2 skipped (Debian: apt-get install openmpi-bin)")
            return nil
        }
        let single = try figures(of: executable, ["bench", "--dp-worker"], what: "1 rank")
        var options = ["-np", "2", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]
        if getuid() == 0 { options.append("--allow-run-as-root") }
        for (key, value) in threadEnvironment.sorted(by: { $0.key < $1.key }) { options += ["-x", "\(key)=\(value)"] }
        let pair = try figures(of: mpirun, options + [executable.path, "bench", "--dp-worker"], what: "2 ranks")
        guard let oneStep = single["averaged_ms"], let twoStep = pair["averaged_ms"], let twoCompute = pair["compute_ms"] else {
            throw KeelError("benchmark dp", expected: "step times from the workers", found: "\(single) \(pair)")
        }
        let oneRate = Double(batchSize) / oneStep * 1000
        let twoRate = Double(2 * batchSize) / twoStep * 1000
        let detail = String(format: "step %.3f ms, compute %.3f ms on 2 ranks; %.0f vs %.0f samples/s", twoStep, twoCompute, twoRate, oneRate)
        print("dp: " + detail)
        return [
            BenchFigure(name: "dp_allreduce_overhead", value: max(0, twoStep - twoCompute) / twoStep, unit: "of step",
                        higherIsBetter: false, reference: "none", referenceValue: nil, target: "≤ 0.10"),
            BenchFigure(name: "dp_scaling_2", value: twoRate / oneRate, unit: "x 1 rank", higherIsBetter: true,
                        reference: "none", referenceValue: nil, target: "2 is linear"),
        ]
    }

    private static func findMPIRun() -> URL? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable arguments` with one thread per process and reads rank 0's figures; a
    /// worker that does not finish in 10 minutes is ended.
    private static func figures(of executable: URL, _ arguments: [String], what: String) throws -> [String: Double] {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OMPI_") && !$0.key.hasPrefix("PMIX_") }
        environment.merge(threadEnvironment) { _, new in new }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let output = Box()
        let reader = Thread { output.data = pipe.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        if finished.wait(timeout: .now() + 600) == .timedOut {
            process.terminate()
            finished.wait()
        }
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        let text = String(decoding: output.data, as: UTF8.self)
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix(marker) }),
              let values = try JSONSerialization.jsonObject(with: Data(line.dropFirst(marker.count).utf8)) as? [String: Any] else {
            throw KeelError("benchmark dp on \(what)", expected: "figures from \(executable.lastPathComponent)",
                            found: "exit status \(process.terminationStatus): \(text.suffix(400))")
        }
        return values.compactMapValues { $0 as? Double }
    }

    // MARK: worker: `keel bench --dp-worker`, one per rank

    /// Times short blocks of training steps, alternating the averaged step and the plain one in
    /// ABBA order so that the busy spells of a shared machine hit both alike; the fastest block of
    /// each, as the slowest rank saw it. (On 1 rank the two are the same step, and their figures
    /// agree to the noise.)
    static func worker() throws {
        try Distributed.initialize()
        let data = try PeerWorkloads.fashionTraining()
        let rank = Distributed.rank, size = Distributed.size
        let batchCount = 64
        let batches: [Batch] = (0..<batchCount).map { b in
            let start = (b * size + rank) * batchSize
            return Batch(x: [data.x.slice(begin: [start, 0], size: [batchSize, 784])],
                         y: [data.y.slice(begin: [start], size: [batchSize])])
        }
        func model(averaging: Bool) throws -> Model {
            KeelRandom.setSeed(1338)
            let model = try SeedModels.fashionMLP()
            let adam = Adam()
            try model.compile(optimizer: .optimizer(averaging ? DistributedOptimizer(wrapping: adam) : adam),
                              loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
            return model
        }
        let averaged = try model(averaging: true), plain = try model(averaging: false)
        let steps = 25
        var next = 0
        func block(_ model: Model) throws -> Double {
            try Distributed.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps {
                _ = try model.trainStep(batches[next % batchCount])
                next += 1
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return try Distributed.allreduce([seconds], op: .max, name: "bench timing")[0] / Double(steps) * 1000
        }
        for _ in 0..<4 {
            _ = try block(averaged)
            _ = try block(plain)
        }
        var averagedTimes: [Double] = [], plainTimes: [Double] = []
        for round in 0..<24 {
            if round % 2 == 0 {
                plainTimes.append(try block(plain))
                averagedTimes.append(try block(averaged))
            } else {
                averagedTimes.append(try block(averaged))
                plainTimes.append(try block(plain))
            }
        }
        // The fastest block of each: the other processes of a shared machine only ever add time
        // (and the plain blocks, whose ranks run unsynchronised, suffer more from them).
        let fastest = { (times: [Double]) in times.min() ?? .nan }
        if Distributed.isRoot {
            let values: [String: Any] = ["averaged_ms": fastest(averagedTimes), "compute_ms": fastest(plainTimes), "ranks": size,
                                         "averaged_blocks_ms": averagedTimes, "compute_blocks_ms": plainTimes]
            print(marker + String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self))
        }
    }
}

/// The machine the figures were measured on, written with them.
enum BenchMachine {
    static var description: [String: Any] {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        return ["cpu": model, "cores": Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                "measured": ISO8601DateFormatter().string(from: Date())]
    }
}
