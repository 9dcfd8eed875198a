import Foundation
import XCTest
import KeelTestSupport

/// The proof that data-parallel training is the same training: N ranks with batch B each end
/// with the weights one process gets with batch N·B on the same data order (to float
/// tolerance), for a Dense model with Adam and a model with BatchNormalization.
///
/// Reusable under any launcher: `distributedRun(launcher:ranks:)` takes the argument prefix that
/// starts the ranks (`mpirun ...` on this host, or an mpirun whose rsh agent enters network
/// namespaces), so the same check runs across hosts; `referenceRun(ranks:)` is the one-process
/// side and `assertEquivalent` compares them.
struct DistributedEquivalence {
    let keel: KeelProcess
    let plugin: URL

    /// What rank 0 (or the one reference process) wrote: every weight of both models by
    /// "model/variable path", the weights before training under "initial/...", and per model the
    /// bucket trace of the last step (distributed runs only).
    struct Outcome {
        var weights: [String: [Float]] = [:]
        var traces: [String: (variablesPerBucket: [Int], unfinishedGradientsAtStart: [Int])] = [:]
    }

    init(keel: KeelProcess) throws {
        self.keel = keel
        plugin = try keel.plugin("DataParallelEquivalence", ["DataParallelEquivalence.swift": Self.pluginSource])
    }

    /// The launcher for ranks on this host: mpirun (as root when the tests run as root, with the
    /// container's shared-memory setting), ended after `timeLimit` seconds whatever happens.
    static func localMPIRun(ranks: Int, timeLimit: Int = 240) -> [String] {
        ["timeout", "-k", "10", "\(timeLimit)", "mpirun", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]
            + (getuid() == 0 ? ["--allow-run-as-root"] : []) + ["-np", "\(ranks)"]
    }

    /// Runs the equivalence plugin on `ranks` ranks started by `launcher` (the arguments before the
    /// keel binary). `fusionThreshold` (bytes) is set by the plugin itself in every rank, so it
    /// holds for ranks a launcher starts without this environment.
    func distributedRun(launcher: [String], ranks: Int, batch: Int = 4, steps: Int = 5, fusionThreshold: Int? = nil,
                        file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let (result, output) = try launch(launcher: launcher, ranks: ranks, batch: batch, steps: steps,
                                          fusionThreshold: fusionThreshold.map(String.init) ?? "")
        XCTAssertEqual(result.status, 0, "\(launcher.joined(separator: " ")) keel run failed:\n\(result.stdout)\n\(result.stderr)",
                       file: file, line: line)
        return try Self.read(output + "/rank0-of-\(ranks).txt")
    }

    /// Starts the ranks and returns how the launcher ended and the folder rank 0 writes to.
    func launch(launcher: [String], ranks: Int, batch: Int = 4, steps: Int = 5,
                fusionThreshold: String = "") throws -> (ProcessResult, String) {
        let (arguments, output) = try runArguments(ranks: ranks, batch: batch, steps: steps, fusionThreshold: fusionThreshold,
                                                   label: "distributed")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), launcher + [ProjectPaths.keelExecutable.path] + arguments,
                                    environment: ["KEEL_DISTRIBUTED_TIMEOUT": "60"], currentDirectory: keel.directory)
        return (result, output)
    }

    /// The `keel` arguments of one distributed run and the folder rank 0 writes its outcome to, for
    /// launchers that start keel themselves (NamespaceCluster); `read(output + "/rank0-of-N.txt")`.
    func runArguments(ranks: Int, batch: Int = 4, steps: Int = 5, fusionThreshold: String = "",
                      label: String) throws -> ([String], String) {
        let output = keel.path("\(label)-\(ranks)-\(fusionThreshold.isEmpty ? "default" : fusionThreshold)")
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        return (["run", plugin.path, "--run-dir", output + "/run",
                 "--set", "mode=distributed", "--set", "ranks=\(ranks)", "--set", "batch=\(batch)",
                 "--set", "steps=\(steps)", "--set", "output=\(output)",
                 "--set", "fusion_threshold=\(fusionThreshold)"], output)
    }

    /// One process (no MPI) training on batches of ranks·batch, as `ranks` ranks would together.
    func referenceRun(ranks: Int, batch: Int = 4, steps: Int = 5,
                      file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let output = keel.path("reference-\(ranks)")
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try keel.succeed(["run", plugin.path, "--run-dir", output + "/run", "--set", "mode=reference", "--set", "ranks=\(ranks)",
                          "--set", "batch=\(batch)", "--set", "steps=\(steps)", "--set", "output=\(output)"],
                         file: file, line: line)
        return try Self.read(output + "/reference-of-\(ranks).txt")
    }

    /// Every weight of `distributed` within float tolerance of `reference`, and training moved the
    /// weights much further than that (so equal results are not equal non-results).
    static func assertEquivalent(_ distributed: Outcome, _ reference: Outcome, tolerance: Float = 2e-5,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(distributed.weights.keys.sorted(), reference.weights.keys.sorted(), file: file, line: line)
        XCTAssertEqual(reference.weights.count, 2 * 14, "both models' weights and their initial values", file: file, line: line)
        var largestChange: Float = 0
        for (name, expected) in reference.weights.sorted(by: { $0.key < $1.key }) {
            guard let found = distributed.weights[name], found.count == expected.count else {
                XCTFail("\(name): \(distributed.weights[name]?.count ?? 0) values, expected \(expected.count)", file: file, line: line)
                continue
            }
            let worst = zip(found, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, tolerance, "\(name) differs by \(worst)", file: file, line: line)
            if !name.hasPrefix("initial"), let initial = reference.weights["initial/" + name] {
                largestChange = max(largestChange, zip(expected, initial).map { abs($0 - $1) }.max() ?? 0)
            }
        }
        XCTAssertGreaterThan(largestChange, 1000 * tolerance, "training barely moved the weights", file: file, line: line)
    }

    static func read(_ path: String) throws -> Outcome {
        var outcome = Outcome()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            switch fields.first {
            case "weight":
                outcome.weights[fields[1]] = fields.dropFirst(2).compactMap(Float.init)
            case "trace":
                let numbers = { (text: String) in text.split(separator: ",").compactMap { Int($0) } }
                outcome.traces[fields[1]] = (numbers(fields[2]), numbers(fields[3]))
            default:
                break
            }
        }
        return outcome
    }

    /// The experiment: trains both models for `steps` steps through `trainOnBatch` (so through
    /// `Model.defaultTrainStep` and `Optimizer.gradients(of:wrt:from:)`).
    ///
    /// Data: sample i of the global order is a fixed function of i. Step s uses samples
    /// s·N·B ..< (s+1)·N·B; rank r takes its B of them, r·B ..< (r+1)·B within the step (cut here by
    /// hand: fit's sharding is not what is under test).
    ///
    /// BatchNormalization normalises with the batch's own statistics, and each rank sees only its
    /// sub-batch (Horovod without synchronized BN). So for the BN model the reference is NOT one
    /// batch of N·B: it runs the N sub-batches through the model one by one, averages their
    /// gradients and applies the average once, which is what N ranks compute together. The moving
    /// statistics are not averaged across ranks (Horovod does not either): each rank's follow its
    /// own sub-batches. Rank 0 writes its own, so the reference keeps the moving statistics its
    /// sub-batch 0 left at each step and they are compared with rank 0's.
    static let pluginSource = #"""
        import Foundation
        import Keel

        final class DataParallelEquivalence: Experiment {
            override class var name: String { "data-parallel-equivalence" }
            override class var defaults: [String: HyperValue] {
                ["mode": .string("distributed"), "ranks": .int(2), "batch": .int(4), "steps": .int(5),
                 "output": .string("."), "fusion_threshold": .string("")]
            }

            override func run(_ context: ExperimentContext) throws {
                let threshold = try context.string("fusion_threshold")
                if !threshold.isEmpty { setenv("KEEL_FUSION_THRESHOLD", threshold, 1) }
                let distributed = try context.string("mode") == "distributed"
                try Distributed.initialize()
                let ranks = try context.int("ranks"), batch = try context.int("batch"), steps = try context.int("steps")
                if distributed {
                    guard Distributed.size == ranks else {
                        throw KeelError("the job", expected: "\(ranks) ranks", found: "\(Distributed.size)")
                    }
                }
                var report = ""
                for kind in ["dense", "bn"] {
                    let model = try makeModel(kind)
                    for variable in model.weights {
                        report += "weight initial/\(kind)/\(variable.path) " + variable.value.scalars.map { "\($0)" }.joined(separator: " ") + "\n"
                    }
                    let optimizer = Adam(learningRate: .constant(0.01))
                    try model.compile(optimizer: .optimizer(distributed ? DistributedOptimizer(wrapping: optimizer) : optimizer),
                                      loss: "mse")
                    for step in 0..<steps {
                        let first = step * ranks * batch
                        if distributed {
                            let (x, y) = samples(first + Distributed.rank * batch, batch)
                            try model.trainOnBatch([x], [y])
                        } else if kind == "dense" {
                            let (x, y) = samples(first, ranks * batch)
                            try model.trainOnBatch([x], [y])
                        } else {
                            try referenceStep(model, optimizer, ranks: ranks, batch: batch, first: first)
                        }
                    }
                    for variable in model.weights {
                        report += "weight \(kind)/\(variable.path) " + variable.value.scalars.map { "\($0)" }.joined(separator: " ") + "\n"
                    }
                    if let trace = optimizer.gradientAveraging?.lastOverlap {
                        report += "trace \(kind) " + trace.variablesPerBucket.map(String.init).joined(separator: ",") + " "
                            + trace.unfinishedGradientsAtStart.map(String.init).joined(separator: ",") + "\n"
                    }
                }
                guard Distributed.isRoot else { return }
                let name = distributed ? "rank0-of-\(ranks).txt" : "reference-of-\(ranks).txt"
                try report.write(toFile: try context.string("output") + "/" + name, atomically: true, encoding: .utf8)
            }

            /// Samples first ..< first+count of the global order: 6 features, 2 targets.
            func samples(_ first: Int, _ count: Int) -> (Tensor, Tensor) {
                var x: [Float] = [], y: [Float] = []
                for i in first..<(first + count) {
                    let features = (0..<6).map { j in Float(sin(Double(i * 7 + j * 3) * 0.37)) }
                    x += features
                    y += [features[0] * features[1] + 0.5 * features[2], Float(cos(Double(i) * 0.21))]
                }
                return (Tensor(shape: [count, 6], scalars: x), Tensor(shape: [count, 2], scalars: y))
            }

            /// Layers named explicitly, weights set from a formula: the same model in every process.
            func makeModel(_ kind: String) throws -> Sequential {
                let layers: [Layer] = kind == "dense"
                    ? [InputLayer(batchShape: [nil, 6]), Dense(units: 8, activation: "relu", name: "d1"),
                       Dense(units: 5, activation: "tanh", name: "d2"), Dense(units: 2, name: "d3")]
                    : [InputLayer(batchShape: [nil, 6]), Dense(units: 8, name: "d1"), BatchNormalization(momentum: 0.5, name: "bn"),
                       ActivationLayer(activation: "relu", name: "relu"), Dense(units: 2, name: "d3")]
                let model = try Sequential(layers, name: kind)
                for (v, variable) in model.trainableWeights.enumerated() {
                    let values = (0..<variable.value.count).map { i in Float(sin(Double(i * 13 + v * 29 + 1) * 0.71)) * 0.5 }
                    variable.assign(Tensor(shape: variable.shape, scalars: values))
                }
                return model
            }

            /// What N ranks do together for the BN model, in one process: each sub-batch through the
            /// model with its own batch statistics, the gradients averaged, one update.
            func referenceStep(_ model: Sequential, _ optimizer: Optimizer, ranks: Int, batch: Int, first: Int) throws {
                let variables = model.trainableWeights
                let statistics = model.nonTrainableWeights
                let before = statistics.map(\.value)
                var rank0Statistics = before
                var sum: [Tensor?] = Array(repeating: nil, count: variables.count)
                for rank in 0..<ranks {
                    for (variable, value) in zip(statistics, before) { variable.assign(value) }
                    let (x, y) = samples(first + rank * batch, batch)
                    let tape = GradientTape()
                    let loss = tape.record { () -> Tensor in
                        let predictions = model.forward([x], training: true)
                        return model.computeLoss(y: [y], yPred: predictions, sampleWeight: nil)
                    }
                    let gradients = tape.gradient(of: loss, wrt: variables)
                    sum = zip(sum, gradients).map { total, gradient in
                        guard let gradient else { return total }
                        return total.map { $0 + gradient } ?? gradient
                    }
                    if rank == 0 { rank0Statistics = statistics.map(\.value) }
                }
                for (variable, value) in zip(statistics, rank0Statistics) { variable.assign(value) }
                optimizer.apply(sum.map { $0.map { $0 * (1 / Float(ranks)) } }, to: variables)
            }
        }

        public func registerPlugin(_ plugin: PluginRegistrar) throws {
            try plugin.addExperiment(DataParallelEquivalence.self)
        }
        """#
}
