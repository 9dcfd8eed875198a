import Foundation
import Keel

/// The Keras guide's DCGAN on Fashion-MNIST: discriminator and generator as in the seed (see
/// fixtures summary/dcgan_*.txt), a custom train step, a PNG grid of samples every epoch and
/// every `sample_every` steps, and checkpoints of both models with their optimizers.
final class DCGANExperiment: Experiment {
    override class var name: String { "dcgan" }
    override class var summary: String { "The Keras guide's DCGAN with a custom train step and PNG sample grids" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(1), "batch_size": .int(64), "latent_dim": .int(128), "steps": .int(200),
         "train_samples": .int(60_000), "sample_every": .int(100), "grid": .int(4), "width": .int(128)]
    }

    override func run(_ context: ExperimentContext) throws {
        let latentDim = try context.int("latent_dim"), width = try context.int("width")
        let data = try FashionMNIST()
        let count = min(try context.int("train_samples"), data.trainCount)
        let images = data.trainImages(0..<count).reshaped([count, 28, 28, 1])

        let discriminator = try SeedModels.dcganDiscriminator(width: width)
        let generator = try SeedModels.dcganGenerator(latentDim: latentDim, width: width)
        // Distributed (`mpirun ... --distributed`), each rank trains on its shard of the images
        // (`fit` shards them) and both optimizers average the ranks' gradients; on one process
        // nothing changes.
        try discriminator.compile(optimizer: DistributedOptimizer(wrapping: Adam(learningRate: 3e-4)),
                                  loss: BinaryCrossentropy(fromLogits: true))
        try generator.compile(optimizer: DistributedOptimizer(wrapping: Adam(learningRate: 4e-4)),
                              loss: BinaryCrossentropy(fromLogits: true))
        let run = context.runDirectory
        try (discriminator.summary() + generator.summary()).write(toFile: run.summary, atomically: true, encoding: .utf8)

        let gan = GAN(discriminator: discriminator, generator: generator, latentDim: latentDim)
        let grid = try context.int("grid")
        let fixedLatent = RandomGenerator(seed: context.seed).normal([grid * grid, latentDim])
        let generate: () -> Tensor = { generator(fixedLatent, training: false) }
        // The GAN's state is two models with their own optimizers, so it keeps its own checkpoint
        // (`keel resume` continues from the last finished epoch) rather than fit's backup.
        let checkpoint = context.checkpoint
        checkpoint.track(discriminator)
        checkpoint.track(generator)
        checkpoint.track(file: run.log)
        let firstEpoch = try checkpoint.restore()?.epoch ?? 0
        if Distributed.isActive {
            // The GAN's state is in its two models, which `fit`'s broadcast (of the GAN model) misses.
            var variables: [Variable] = []
            for model in [discriminator, generator] {
                model.optimizer?.buildIfNeeded(for: model.trainableWeights)
                variables += model.weights + (model.optimizer?.variables ?? [])
            }
            try Distributed.broadcast(variables, root: 0)
        }
        // With `keel run --tensorboard` the grids also go to TensorBoard's Images dashboard (fit's
        // TensorBoard callback logs the losses into the same files).
        let board = try context.summaryWriter("train")
        let monitor = GANMonitor(directory: run.path, rows: grid, columns: grid, every: 1, range: .unit) { _ in generate() }
        monitor.summaryWriter = board
        let callbacks: [Callback] = [
            monitor,
            StepSamples(directory: run.samples, rows: grid, every: try context.int("sample_every"), board: board, generate: generate),
            CSVLogger(filename: run.log, append: firstEpoch > 0),
            GANCheckpoint(directory: run.checkpoints, models: [discriminator, generator]),
            checkpoint.savingEachEpoch(),  // last, once the others have seen the epoch
        ]
        let batchSize = try context.int("batch_size")
        let stepsPerEpoch = min(try context.int("steps"), (count + batchSize - 1) / batchSize)
        try gan.fit(images, batchSize: batchSize, epochs: try context.int("epochs"), verbose: .auto,
                    callbacks: callbacks, initialEpoch: firstEpoch, stepsPerEpoch: stepsPerEpoch)
        try generator.save(to: run.model)
    }
}

/// A sample grid every `every` training steps (`samples/step_NNNNN.png`), between the per-epoch ones.
/// The step is counted from the epoch, so a resumed run names its grids as an uninterrupted one.
/// With a TensorBoard writer the grid also goes there (tag `step_samples`, at that step).
final class StepSamples: Callback {
    private(set) var directory = ""
    private(set) var rows = 1
    private(set) var every = 1
    private(set) var generate: () -> Tensor = { Tensor(0) }
    private(set) var board: SummaryWriter?
    private var epoch = 0

    convenience init(directory: String, rows: Int, every: Int, board: SummaryWriter?, generate: @escaping () -> Tensor) {
        self.init()
        self.directory = directory
        self.board = board
        self.rows = rows
        self.every = max(1, every)
        self.generate = generate
    }

    override func onEpochBegin(_ epoch: Int, logs: Logs) { self.epoch = epoch }

    override func onTrainBatchEnd(_ batch: Int, logs: Logs) {
        let step = epoch * (params.steps ?? 0) + batch + 1
        guard step % every == 0 else { return }
        let name = String(format: "step_%05d.png", step)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let grid = try SampleGrid.image(images: generate(), rows: rows, columns: rows, range: .unit)
            try grid.write(to: "\(directory)/\(name)")
            try board?.image(tag: "step_samples", picture: grid, step: step)
        } catch {
            print("keel: warning: sample grid \(name) not written: \(error)")
        }
    }
}

/// Saves every model (with its optimizer) under `directory` at the end of each epoch.
final class GANCheckpoint: Callback {
    private(set) var directory = ""
    private(set) var models: [Model] = []

    convenience init(directory: String, models: [Model]) {
        self.init()
        self.directory = directory
        self.models = models
    }

    override func onEpochEnd(_ epoch: Int, logs: Logs) {
        for model in models {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try model.save(to: "\(directory)/\(model.name).h5")
            } catch {
                print("keel: warning: checkpoint of \(model.name) failed: \(error)")
            }
        }
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(DCGANExperiment.self)
}
