import ArgumentParser
import Foundation

/// `keel bench`: the speed figures, each with its reference and ratio; also written as JSON.
/// Each workload runs in a child process so that its peak memory is its own.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Keel's speed against raw BLAS, memcpy and the peer frameworks (W1–W5), the sequence workloads (LSTM, MultiHeadAttention) and data-parallel training on 2 ranks (dp).")

    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case kernels, w1, w2, w3, w4, w5, sequence, dp
    }

    @Option(help: "Where to write the figures as JSON.")
    var json: String = ".build/bench.json"

    @Option(help: "Run only these workloads: \(Workload.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).")
    var only: [Workload] = []

    @Option(help: .hidden)
    var child: Workload?

    /// One rank of the dp workload (started by the parent, under mpirun for 2 ranks).
    @Flag(help: .hidden)
    var dpWorker = false

    static let resultMarker = "KEEL_BENCH_FIGURES "

    func run() throws {
        if dpWorker {
            try DataParallelBench.worker()
            return
        }
        if let child {
            let figures = try Self.measure(child)
            let data = try JSONSerialization.data(withJSONObject: figures.map { $0.json.merging(["name": $0.name]) { a, _ in a } })
            print(Self.resultMarker + String(decoding: data, as: UTF8.self))
            return
        }
        print(KeelCommand.versionText())
        let machine = BenchMachine.description
        print("machine: \(machine["cpu"] ?? "?"), \(machine["cores"] ?? "?") cores")
        print(BenchReport.table([]))
        var figures: [BenchFigure] = []
        for workload in only.isEmpty ? Workload.allCases : only {
            let results: [BenchFigure]
            if workload == .dp {
                guard let measured = try DataParallelBench.measure(executable: Self.executable) else { continue }
                results = measured
            } else {
                results = try runChild(workload)
            }
            for figure in results { print(BenchReport.table([figure]).split(separator: "\n").last!) }
            figures += results
        }
        try FileManager.default.createDirectory(atPath: (json as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try BenchReport.writeJSON(figures, machine: machine, to: json)
        print("wrote \(json)")
    }

    static func measure(_ workload: Workload) throws -> [BenchFigure] {
        switch workload {
        case .kernels:
            let gemm = KernelBenchmarks.sgemm()
            return [gemm.keel, KernelBenchmarks.add(), KernelBenchmarks.convVGG(gemmGflops: gemm.keel.value),
                    KernelBenchmarks.tinyOpOverhead()]
        case .w1: return try PeerWorkloads.customLoop()
        case .w2: return try PeerWorkloads.fit()
        case .w3: return try PeerWorkloads.dcganStep()
        case .w4: return try PeerWorkloads.vggStep()
        case .w5: return try PeerWorkloads.predict()
        case .sequence: return try SequenceWorkloads.lstmStep() + SequenceWorkloads.mhaStep()
        case .dp:
            throw KeelError("benchmark dp", expected: "to be started by `keel bench` (it starts its own ranks)", found: "--child dp")
        }
    }

    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// Runs `keel bench --child <workload>` and reads the figures it prints.
    private func runChild(_ workload: Workload) throws -> [BenchFigure] {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["bench", "--child", workload.rawValue]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = output.split(separator: "\n").last(where: { $0.hasPrefix(Self.resultMarker) }) else {
            throw KeelError("benchmark \(workload.rawValue)", expected: "figures from its process",
                            found: "exit status \(process.terminationStatus)")
        }
        let data = Data(line.dropFirst(Self.resultMarker.count).utf8)
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw KeelError("benchmark \(workload.rawValue)", expected: "a JSON list of figures", found: String(line.prefix(80)))
        }
        return entries.map { entry in
            BenchFigure(name: entry["name"] as? String ?? "?", value: entry["value"] as? Double ?? .nan,
                        unit: entry["unit"] as? String ?? "", higherIsBetter: entry["higher_is_better"] as? Bool ?? false,
                        reference: entry["reference"] as? String ?? "", referenceValue: entry["reference_value"] as? Double,
                        target: entry["target"] as? String ?? "")
        }
    }
}
