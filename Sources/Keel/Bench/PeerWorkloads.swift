import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// W1–W5 of the peer benchmarks (shared/bench/peers/RESULTS.md), with the same models, batch
/// sizes and data sizes, through Keel's user-facing API. Each runs in its own process (see
/// BenchCommand) so its peak RSS is its own.
enum PeerWorkloads {
    /// Peak resident memory of this process so far, in MB.
    static var peakRSSMegabytes: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func rss(_ name: String, peer: Double) -> BenchFigure {
        BenchFigure(name: name, value: peakRSSMegabytes, unit: "MB", higherIsBetter: false,
                    reference: "PyTorch", referenceValue: peer, target: "lower is better")
    }

    /// Batches of the training split in the fixed order the peers use (one permutation, seed 0).
    static func fashionTraining() throws -> (x: Tensor, y: Tensor, validationX: Tensor, validationY: Tensor) {
        let split = try FashionMNIST().trainValidationSplit()
        return (split.x.reshaped([-1, 784]), split.y, split.validationX.reshaped([-1, 784]), split.validationY)
    }

    /// W1: the guide's hand-written loop: forward under a tape, sparse CE from logits, SGD 1e-3,
    /// accuracy metric; 782 steps (781×64 + 16) per epoch.
    static func customLoop() throws -> [BenchFigure] {
        let data = try fashionTraining()
        let model = try SeedModels.mnistMLP()
        let optimizer = SGD(learningRate: .constant(1e-3))
        let loss = SparseCategoricalCrossentropy(fromLogits: true)
        let accuracy = Metrics.SparseCategoricalAccuracy()
        let order = RandomGenerator(seed: 0).permutation(50_000)
        let batches: [(Tensor, Tensor)] = stride(from: 0, to: 50_000, by: 64).map { start in
            let index = Tensor(shape: [min(64, 50_000 - start)], int32s: order[start..<min(start + 64, 50_000)].map(Int32.init))
            return (data.x.gathering(index, axis: 0), data.y.gathering(index, axis: 0))
        }
        let variables = model.trainableWeights
        func step(_ x: Tensor, _ y: Tensor) {
            let tape = GradientTape()
            let (value, logits) = tape.record { () -> (Tensor, Tensor) in
                let logits = model(x, training: true)
                return (loss(y, logits), logits)
            }
            optimizer.apply(tape.gradient(of: value, wrt: variables), to: variables)
            accuracy.updateState(yTrue: y, yPred: logits)
        }
        // Warm up on both batch sizes (64 and the last 16), as the peers compile both shapes.
        for (x, y) in batches.prefix(100) + batches.suffix(1) { step(x, y) }
        let before = BufferPool.shared.statistics.systemAllocations
        let seconds = Stopwatch.median(repetitions: 3) {
            for (x, y) in batches { step(x, y) }
            accuracy.resetState()
        }
        let allocations = Double(BufferPool.shared.statistics.systemAllocations - before) / Double(3 * batches.count)
        return [
            BenchFigure(name: "w1_custom_loop", value: seconds / Double(batches.count) * 1000, unit: "ms/step",
                        higherIsBetter: false, reference: "Keras-JAX", referenceValue: 0.30, target: "≤ 0.15"),
            BenchFigure(name: "w1_allocs_per_step", value: allocations, unit: "buffers/step", higherIsBetter: false,
                        reference: "none", referenceValue: nil, target: "0"),
            rss("w1_peak_rss", peer: 638),
        ]
    }

    /// W2: `fit(batch 32, epochs 2, validation 10k)` of the Dense(512) model with Adam; the
    /// figure is epoch 2's training time per step. The images stay uint8 in a `Dataset` (the first
    /// 50,000 for training, the last 10,000 for validation, sharing the file's bytes) and each batch
    /// becomes float32 in [0, 1] in a `map`, so the peak memory holds no float copy of the data.
    static func fit() throws -> [BenchFigure] {
        let fashion = try FashionMNIST()
        let pixels = fashion.trainPixelBytes
        let images = try ByteArray(shape: [pixels.shape[0], 784], bytes: pixels.bytes)
        let all = try Dataset.fromTensorSlices(.tuple([.bytes(images), .tensor(fashion.trainLabels)]))
        let toFloats: (DataElement) throws -> DataElement = { $0.bytesAsFloats(scale: 1 / 255) }
        let training = try all.take(50_000).shuffle(bufferSize: 50_000).batch(32).map(toFloats).prefetch()
        let validation = try all.skip(50_000).batch(32).map(toFloats)
        KeelRandom.setSeed(1338)
        let model = try SeedModels.fashionMLP()
        try model.compile(optimizer: .optimizer(Adam()), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
        let timer = EpochTrainTimer(epoch: 1)
        let history = try model.fit(training, epochs: 2, verbose: 0, callbacks: [timer], validationData: validation)
        return [
            BenchFigure(name: "w2_fit", value: timer.millisecondsPerStep, unit: "ms/step", higherIsBetter: false,
                        reference: "Keras-JAX", referenceValue: 1.00, target: "≤ 0.5"),
            BenchFigure(name: "w2_val_accuracy", value: history.history["val_accuracy"]?.last ?? .nan, unit: "accuracy",
                        higherIsBetter: true, reference: "Keras-JAX", referenceValue: 0.863, target: "≥ 0.84 after 1 epoch"),
            BenchFigure(name: "w2_peak_rss", value: peakRSSMegabytes, unit: "MB", higherIsBetter: false,
                        reference: "PyTorch", referenceValue: 579, target: "≤ 150"),
        ]
    }

    /// W3: the guide's GAN train step at full size (64 real + 64 generated images, latent 128).
    static func dcganStep() throws -> [BenchFigure] {
        KeelRandom.setSeed(1339)
        let discriminator = try SeedModels.dcganDiscriminator(), generator = try SeedModels.dcganGenerator()
        try discriminator.compile(optimizer: Adam(learningRate: 3e-4), loss: BinaryCrossentropy(fromLogits: true))
        try generator.compile(optimizer: Adam(learningRate: 4e-4), loss: BinaryCrossentropy(fromLogits: true))
        let gan = GAN(discriminator: discriminator, generator: generator, latentDim: 128)
        let images = KeelRandom.generator.uniform([64, 28, 28, 1])
        let batch = Batch(x: [images])
        for _ in 0..<5 { _ = try gan.trainStep(batch) }
        var times: [Double] = []
        for _ in 0..<30 { times.append(Stopwatch.seconds { _ = try? gan.trainStep(batch) }) }
        return [
            BenchFigure(name: "w3_dcgan_step", value: times.sorted()[times.count / 2] * 1000, unit: "ms/step",
                        higherIsBetter: false, reference: "Keras-TF", referenceValue: 233, target: "≤ 150"),
            rss("w3_peak_rss", peer: 738),
        ]
    }

    /// W4: the VGG-like BN CNN trained with `fit` (Adam, categorical CE on one-hot labels, batch 64);
    /// the median gap between consecutive batch ends after 5 warm-up steps.
    static func vggStep() throws -> [BenchFigure] {
        let split = try FashionMNIST().trainValidationSplit()
        let count = 64 * 40
        let x = split.x.slice(begin: [0, 0, 0], size: [count, 28, 28]).reshaped([count, 28, 28, 1])
        let y = split.y.slice(begin: [0], size: [count]).oneHot(depth: 10)
        KeelRandom.setSeed(1340)
        let model = try SeedModels.vggCNN()
        try model.compile(optimizer: .optimizer(Adam()), loss: "categorical_crossentropy", metrics: ["accuracy"])
        let timer = BatchGapTimer(warmUp: 5)
        try model.fit(x, y, batchSize: 64, epochs: 1, verbose: 0, callbacks: [timer])
        return [
            BenchFigure(name: "w4_vgg_step", value: timer.medianMilliseconds, unit: "ms/step", higherIsBetter: false,
                        reference: "PyTorch", referenceValue: 24.9, target: "≤ 14"),
            rss("w4_peak_rss", peer: 579),
        ]
    }

    /// W5: `predict(10k, batch 256)` with the untrained W2 model.
    static func predict() throws -> [BenchFigure] {
        let data = try fashionTraining()
        let model = try SeedModels.fashionMLP()
        let x = data.validationX
        _ = try model.predict(x, batchSize: 256, verbose: 0)
        let seconds = Stopwatch.median(repetitions: 5) { _ = try? model.predict(x, batchSize: 256, verbose: 0) }
        return [
            BenchFigure(name: "w5_predict", value: Double(x.shape[0]) / seconds, unit: "images/s", higherIsBetter: true,
                        reference: "PyTorch", referenceValue: 253_000, target: "≥ 320k"),
            rss("w5_peak_rss", peer: 579),
        ]
    }
}

/// Time per training step of one epoch, from its first batch to its last.
final class EpochTrainTimer: Callback {
    private(set) var epoch = 0
    private var start: DispatchTime?
    private var end: DispatchTime?
    private var steps = 0
    private var current = -1

    convenience init(epoch: Int) {
        self.init()
        self.epoch = epoch
    }

    override func onEpochBegin(_ epoch: Int, logs: Logs) { current = epoch }

    override func onTrainBatchBegin(_ batch: Int, logs: Logs) {
        if current == epoch && start == nil { start = DispatchTime.now() }
    }

    override func onTrainBatchEnd(_ batch: Int, logs: Logs) {
        guard current == epoch else { return }
        end = DispatchTime.now()
        steps += 1
    }

    var millisecondsPerStep: Double {
        guard let start, let end, steps > 0 else { return .nan }
        return Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 / Double(steps)
    }
}

/// The median time between consecutive batch ends, after some warm-up batches.
final class BatchGapTimer: Callback {
    private(set) var warmUp = 0
    private var last: DispatchTime?
    private var gaps: [Double] = []
    private var seen = 0

    convenience init(warmUp: Int) {
        self.init()
        self.warmUp = warmUp
    }

    override func onTrainBatchEnd(_ batch: Int, logs: Logs) {
        let now = DispatchTime.now()
        seen += 1
        if seen > warmUp, let last { gaps.append(Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6) }
        last = now
    }

    var medianMilliseconds: Double { gaps.isEmpty ? .nan : gaps.sorted()[gaps.count / 2] }
}
