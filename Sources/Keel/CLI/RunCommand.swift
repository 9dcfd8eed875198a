import ArgumentParser

/// `keel run <experiment|folder>`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment by name, or the one in a folder of Swift sources.",
        discussion: "Writes runs/<experiment>/<timestamp>/ with config.json, log.csv, checkpoints/, model.h5, summary.txt and images.")

    @Argument(help: "An experiment name (see `keel list`) or a folder of Swift sources.")
    var experiment: String

    @Option(help: "Number of epochs (sets the experiment's `epochs`).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Batch size (sets the experiment's `batch_size`).")
    var batchSize: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1337

    @Option(name: .customLong("set"), help: "Override a hyper-parameter: --set key=value (repeatable).")
    var settings: [String] = []

    @Option(name: .customLong("run-dir"), help: "Use this run directory instead of a new one under runs/.")
    var runDirectory: String?

    func run() throws {
        let runner = ExperimentRunner()
        let type = try runner.resolve(experiment)
        let hyper = try ExperimentRunner.hyperparameters(for: type, epochs: epochs, batchSize: batchSize, settings: settings)
        try runner.run(type, hyperparameters: hyper, seed: seed, runDirectory: runDirectory)
    }
}
