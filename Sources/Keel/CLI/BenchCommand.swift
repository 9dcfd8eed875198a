import ArgumentParser
import Foundation

/// `keel bench`: the speed figures, each with its reference and ratio; also written as JSON.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Keel's speed against raw BLAS, memcpy and the peer frameworks.")

    @Option(help: "Where to write the figures as JSON.")
    var json: String = ".build/bench.json"

    @Option(help: "Run only the figures whose name contains this text (e.g. w1).")
    var only: String?

    func run() throws {
        print(KeelCommand.versionText())
        var figures: [BenchFigure] = []
        func add(_ new: [BenchFigure]) {
            for f in new { print(BenchReport.table([f]).split(separator: "\n").last!) }
            figures += new
        }
        print(BenchReport.table([]))
        func wanted(_ names: String...) -> Bool { only.map { o in names.contains { $0.contains(o) } } ?? true }
        var gemmGflops: Double?
        if wanted("sgemm_1024", "conv_vgg") {
            let gemm = KernelBenchmarks.sgemm()
            gemmGflops = gemm.keel.value
            if wanted("sgemm_1024") { add([gemm.keel]) }
        }
        if wanted("add_16m") { add([KernelBenchmarks.add()]) }
        if wanted("conv_vgg"), let gemmGflops { add([KernelBenchmarks.convVGG(gemmGflops: gemmGflops)]) }
        if wanted("w1_custom_loop", "w1_allocs_per_step") { add(CustomLoopBenchmark().run()) }
        if wanted("tiny_op_overhead") { add([KernelBenchmarks.tinyOpOverhead()]) }
        try BenchReport.writeJSON(figures, to: json)
        print("wrote \(json)")
    }
}
