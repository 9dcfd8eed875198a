
/// The Keras guide's GAN as a model with its own train step: the discriminator learns on
/// generated and real images (with label noise), then the generator learns to fool it. Each
/// sub-model is compiled with its own Adam, so checkpoints carry both optimizers.
public final class GAN: Model {
    public let discriminator: Sequential
    public let generator: Sequential
    public let latentDim: Int
    private let lossFunction = BinaryCrossentropy(fromLogits: true)
    private var discriminatorLoss = Metrics.Mean(name: "d_loss")
    private var generatorLoss = Metrics.Mean(name: "g_loss")

    public init(discriminator: Sequential, generator: Sequential, latentDim: Int) {
        self.discriminator = discriminator
        self.generator = generator
        self.latentDim = latentDim
        super.init(name: "gan")
    }

    /// A GAN is made from its two models, which no config of its own holds.
    public required init(config: JSONObject) throws {
        throw KeelError("GAN config", expected: "a GAN made in Swift from its discriminator and generator", found: "a config")
    }

    public override func resetMetrics() {
        discriminatorLoss.resetState()
        generatorLoss.resetState()
    }

    public override func trainStep(_ batch: Batch) throws -> Logs {
        guard let dOptimizer = discriminator.optimizer, let gOptimizer = generator.optimizer else {
            throw KeelError("GAN '\(name)'", expected: "discriminator and generator compiled with their optimizers", found: "no optimizer")
        }
        let realImages = batch.x[0]
        let n = realImages.shape[0]
        let random = KeelRandom.generator

        // Discriminator: generated images labelled 1, real ones 0, plus a little label noise.
        let generated = generator(random.normal([n, latentDim]), training: false)
        let combined = Tensor.concatenate([generated, realImages], axis: 0)
        var labels = Tensor.concatenate([Tensor.ones([n, 1]), Tensor.zeros([n, 1])], axis: 0)
        labels = labels + random.uniform(labels.shape) * 0.05
        let dVariables = discriminator.trainableWeights
        let dTape = GradientTape()
        let dLoss = dTape.record { lossFunction(labels, discriminator(combined, training: true)) }
        dOptimizer.apply(dOptimizer.gradients(of: dLoss, wrt: dVariables, from: dTape), to: dVariables)

        // Generator: make the discriminator say "real" (0) for new generated images.
        let latent = random.normal([n, latentDim])
        let misleading = Tensor.zeros([n, 1])
        let gVariables = generator.trainableWeights
        let gTape = GradientTape()
        let gLoss = gTape.record { lossFunction(misleading, discriminator(generator(latent, training: true), training: false)) }
        gOptimizer.apply(gOptimizer.gradients(of: gLoss, wrt: gVariables, from: gTape), to: gVariables)

        discriminatorLoss.updateState(values: dLoss)
        generatorLoss.updateState(values: gLoss)
        let logs = Logs()
        logs["d_loss"] = Double(discriminatorLoss.result().scalar)
        logs["g_loss"] = Double(generatorLoss.result().scalar)
        return logs
    }
}
