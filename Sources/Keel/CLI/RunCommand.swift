import ArgumentParser

/// `keel run <experiment|folder>`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment by name, or the one in a folder of Swift sources.",
        discussion: """
            Writes runs/<experiment>/<timestamp>/ with config.json, status.json, log.csv, model.h5, summary.txt, \
            and checkpoints/, samples/ and plots/ when the experiment writes any, and tensorboard/ with --tensorboard. \
            `keel help run <experiment>` lists its hyper-parameters.

            Data-parallel training: `mpirun -np N keel run <experiment> --distributed` (add a hostfile \
            for several machines) trains one model on N processes. Each rank trains on its shard \
            of every epoch (the global batch is N × batch size), gradients are averaged every \
            step, rank 0's initial variables are broadcast, and epoch metrics are averaged. Only \
            rank 0 prints and writes the run directory; config.json records the job size. Scale \
            the learning rate yourself if you want it to grow with N (--set learning_rate=...).
            """)

    @Argument(help: "An experiment name (see `keel list`) or a folder of Swift sources.")
    var experiment: String

    // `.unconditional`: a value such as `-5` is the option's value, not an unknown flag, so
    // negative numbers reach the range checks with their own message.
    @Option(parsing: .unconditional, help: "Number of epochs (sets the experiment's `epochs`).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Batch size (sets the experiment's `batch_size`).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Random seed, any 64-bit integer (a negative seed is its two's complement).")
    var seed: Int64 = 1337

    @Option(name: .customLong("set"), parsing: .unconditionalSingleValue, help: "Override a hyper-parameter: --set key=value (repeatable).")
    var settings: [String] = []

    @Option(name: .customLong("run-dir"), help: "Use this run directory instead of a new one under runs/.")
    var runDirectory: String?

    @Flag(help: "Write TensorBoard logs to the run's tensorboard/ folder (every fit gets Keras's TensorBoard callback; the hyper-parameters go to the HParams dashboard). View them with `tensorboard --logdir runs/`.")
    var tensorboard = false

    @Flag(help: "Join the job mpirun started (data-parallel training on its N processes); without mpirun, one process.")
    var distributed = false

    func run() throws {
        if distributed { try DistributedLaunch.join(announce: true) }
        var runner = DistributedLaunch.runner(distributed: distributed)
        runner.tensorBoard = tensorboard
        let experiment = try runner.resolve(experiment)
        let hyper = try ExperimentRunner.hyperparameters(for: experiment.type, epochs: epochs, batchSize: batchSize, settings: settings)
        try runner.run(experiment, hyperparameters: hyper, seed: Int(seed), runDirectory: runDirectory)
    }
}
