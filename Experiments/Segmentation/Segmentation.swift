import Keel

/// A small U-Net on a synthetic shapes task the experiment draws itself: each noisy grey image
/// holds a disc and a square; every pixel is labelled background, disc or square. Two
/// convolution blocks down, one max-pooling, upsampling back and a skip connection concatenated
/// in, a per-pixel softmax, and the Dice loss taken per image and class (`axis` [1, 2], so the
/// background's many pixels do not drown the shapes) with MeanIoU, trained with `fit`.
final class Segmentation: Experiment {
    override class var name: String { "segmentation" }
    override class var summary: String { "U-Net-style segmentation of synthetic discs and squares with Dice loss and MeanIoU" }
    override class var defaults: [String: HyperValue] {
        ["epochs": .int(12), "batch_size": .int(16), "learning_rate": .double(1e-3), "train_samples": .int(768),
         "validation_samples": .int(192), "image_size": .int(32), "width": .int(16), "noise": .double(0.3)]
    }

    static let classes = 3

    override func run(_ context: ExperimentContext) throws {
        let size = try context.int("image_size"), width = try context.int("width")
        guard size >= 8, size % 2 == 0 else {
            throw KeelError("segmentation image_size", expected: "an even size of at least 8 pixels", found: "\(size)")
        }
        let random = RandomGenerator(seed: context.seed)
        let noise = Float(try context.double("noise"))
        let train = ShapesTask(count: try context.int("train_samples"), size: size, noise: noise, random: random)
        let validation = ShapesTask(count: try context.int("validation_samples"), size: size, noise: noise, random: random)

        let model = try Self.uNet(size: size, width: width)
        try model.compile(optimizer: .optimizer(Adam(learningRate: .constant(Float(try context.double("learning_rate"))))),
                          loss: .all(.loss(Dice(axis: [1, 2]))),
                          metrics: [.metric(Metrics.MeanIoU(numClasses: Self.classes, sparseYTrue: false, sparseYPred: false))])
        let run = context.runDirectory
        try model.summary().write(toFile: run.summary, atomically: true, encoding: .utf8)
        context.log(model.summary())
        let callbacks: [Callback] = [
            ModelCheckpoint(filepath: run.checkpoints + "/best.h5", monitor: "val_mean_io_u", saveBestOnly: true, mode: .max),
            CSVLogger(filename: run.log),
            LossHistory(directory: run.plots),
        ]
        let history = try model.fit(train.images, train.masks, batchSize: try context.int("batch_size"),
                                    epochs: try context.int("epochs"), verbose: .auto, callbacks: callbacks,
                                    validationData: (validation.images, validation.masks))
        try model.save(to: run.model)
        if let meanIoU = history.history["val_mean_io_u"]?.last {
            context.log("final val_mean_io_u: \(String(format: "%.4f", meanIoU))")
        }
        try writeSamples(model: model, validation: validation, to: run.file("samples/validation.png"))
    }

    /// Conv-Conv, pool, Conv-Conv, upsample, concatenate with the first block, Conv, 1x1 softmax;
    /// each 3x3 convolution is followed by BatchNormalization and ReLU, which keeps the Dice loss
    /// from settling on a mask that leaves one class out.
    static func uNet(size: Int, width: Int) throws -> Model {
        func block(_ input: SymbolicTensor, _ filters: Int) throws -> SymbolicTensor {
            let convolved = try Conv2D(filters: filters, kernelSize: [3, 3], padding: .same, useBias: false)(input)
            return try ActivationLayer(activation: "relu")(try BatchNormalization()(convolved))
        }
        let input = Input(shape: [size, size, 1], name: "image")
        let skip = try block(try block(input, width), width)
        let pooled = try MaxPooling2D(poolSize: [2, 2])(skip)
        let bottom = try block(try block(pooled, 2 * width), 2 * width)
        let up = try UpSampling2D(size: [2, 2])(bottom)
        let merged = try Concatenate()([up, skip])
        let output = try Conv2D(filters: classes, kernelSize: [1, 1], activation: "softmax", name: "mask")(try block(merged, width))
        return try Model(inputs: input, outputs: output, name: "unet")
    }

    /// Rows of (image, true mask, predicted mask) for the first validation images.
    private func writeSamples(model: Model, validation: ShapesTask, to path: String) throws {
        let rows = min(4, validation.images.shape[0]), size = validation.images.shape[1]
        let images = validation.images.slice(begin: [0, 0, 0, 0], size: [rows, size, size, 1])
        let truth = validation.masks.slice(begin: [0, 0, 0, 0], size: [rows, size, size, Self.classes])
        let predicted = try model.predict(images, verbose: 0)
        // Class k drawn as grey level k / (classes - 1); the image rescaled into [0, 1].
        func labels(_ masks: Tensor) -> Tensor {
            (masks.argmax(axis: -1).cast(to: .float32) / Float(Self.classes - 1)).reshaped([rows, size, size, 1])
        }
        let low = images.min(), high = images.max()
        let shown = (images - low) / (high - low + 1e-6)
        var tiles: [Tensor] = []
        for row in 0..<rows {
            for tile in [shown, labels(truth), labels(predicted)] {
                tiles.append(tile.slice(begin: [row, 0, 0, 0], size: [1, size, size, 1]))
            }
        }
        try SampleGrid.write(images: Tensor.concatenate(tiles, axis: 0), rows: rows, columns: 3, to: path, range: .unit)
    }
}

/// Noisy images with one disc (class 1) and one square (class 2) each, at random places and
/// sizes; the disc is bright and the square dark, so the noise, not the intensity, makes the task.
struct ShapesTask {
    let images: Tensor
    /// One-hot per pixel: (count, size, size, 3).
    let masks: Tensor

    init(count: Int, size: Int, noise: Float, random: RandomGenerator) {
        var pixels = [Float](repeating: 0, count: count * size * size)
        var labels = [Int32](repeating: 0, count: count * size * size)
        let smallest = max(2, size / 8), largest = max(smallest + 1, size / 3)
        for sample in 0..<count {
            let base = sample * size * size
            let side = smallest + random.integer(below: largest - smallest)
            let squareRow = random.integer(below: size - side), squareColumn = random.integer(below: size - side)
            for r in squareRow..<(squareRow + side) {
                for c in squareColumn..<(squareColumn + side) { pixels[base + r * size + c] = -1; labels[base + r * size + c] = 2 }
            }
            let radius = smallest / 2 + 1 + random.integer(below: max(1, largest / 2 - smallest / 2))
            let centreRow = radius + random.integer(below: max(1, size - 2 * radius))
            let centreColumn = radius + random.integer(below: max(1, size - 2 * radius))
            for r in 0..<size {
                for c in 0..<size where (r - centreRow) * (r - centreRow) + (c - centreColumn) * (c - centreColumn) <= radius * radius {
                    // The disc is drawn over the square where they overlap.
                    pixels[base + r * size + c] = 1
                    labels[base + r * size + c] = 1
                }
            }
        }
        let clean = Tensor(shape: [count, size, size, 1], scalars: pixels)
        images = clean + random.normal([count, size, size, 1], stddev: noise)
        masks = Tensor(shape: [count, size, size], int32s: labels).oneHot(depth: Segmentation.classes)
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(Segmentation.self)
}
