import ArgumentParser
import Foundation

/// `keel bench`: the speed figures, each with its reference and ratio; also written as JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Keel's speed against raw BLAS, memcpy and the peer frameworks.")

    @Option(help: "Where to write the figures as JSON.")
    var json: String = ".build/bench.json"

    func run() throws {
        print(KeelCommand.versionText())
        var figures: [BenchFigure] = []
        func add(_ new: [BenchFigure]) {
            for f in new { print(BenchReport.table([f]).split(separator: "\n").last!) }
            figures += new
        }
        print(BenchReport.table([]))
        let gemm = KernelBenchmarks.sgemm()
        add([gemm.keel])
        add([KernelBenchmarks.add()])
        add([KernelBenchmarks.convVGG(gemmGflops: gemm.keel.value)])
        add(CustomLoopBenchmark().run())
        add([KernelBenchmarks.tinyOpOverhead()])
        try BenchReport.writeJSON(figures, to: json)
        print("wrote \(json)")
    }
}
