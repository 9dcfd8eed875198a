import Foundation
import Keel

/// The small programs of seed 001 (notes on compiling and training TensorFlow models), one per
/// `program`:
/// - `fake_model` (default): the "compile and fit" way to minimise f(x) = x² − 2x + 1: a
///   subclassed model holding the variable x, whose call returns f(x) for every feature, the
///   loss function `myloss` (the mean of y_pred) given to `compile` as a Swift function, SGD
///   (learning rate 0.01, momentum 0.9, Nesterov; Keras 3 has no `decay`), `fit` on zeros(100, 2)
///   and ones(100) with batch size 1 for 1000 epochs. x ends near 1.
/// - `optimizer_weights`: Sequential Dense(10) (given its input shape, so `fit` can back it up),
///   RMSprop and "mse", `fit` on arange(100) as 5×20 with zero labels, then the optimizer's variables (Keras's `get_weights`), written to
///   `optimizer_weights.txt`.
/// - `sequential`: Dense(64, kernel_initializer "uniform", inputShape [10]) → Activation softmax,
///   compiled with SparseCategoricalCrossentropy(fromLogits: true) and Adam, metric "acc" (the seed
///   compiles it only; here it trains 3 epochs of batch 32 on 1000 random samples with labels among
///   the 64 units). `--set loss=name` compiles with "sparse_categorical_crossentropy" instead, the
///   seed's second listing.
/// `epochs` 0 (the default) trains as many epochs as the seed's program (1000, 1, 3).
final class CompileFit: Experiment {
    override class var name: String { "compile-fit" }
    override class var summary: String { "Seed 001's compile-and-fit programs: a subclassed model with a function loss, optimizer weights" }
    override class var defaults: [String: HyperValue] {
        ["program": .string("fake_model"), "epochs": .int(0), "loss": .string("object")]
    }

    override func run(_ context: ExperimentContext) throws {
        let given = try context.int("epochs")
        func epochs(_ seed: Int) -> Int { given > 0 ? given : seed }
        let run = context.runDirectory
        // `keel run` gives each `fit` a BackupAndRestore, so `keel resume` continues an interrupted run.
        switch try context.string("program") {
        case "fake_model":
            let model = FakeModel(a: 1, b: -2, c: 1)
            _ = model(Tensor.zeros([1, 2]))  // builds x, as the seed's model.build()
            context.log(model.summary())
            // The seed's `myloss`: the mean of y_pred, here per sample (the mean of the batch's means is the same).
            try model.compile(optimizer: .optimizer(SGD(learningRate: .constant(0.01), momentum: 0.9, nesterov: true)),
                              loss: .function(name: "myloss") { _, yPred in yPred.mean(axes: [-1]) })
            try model.fit(Tensor.zeros([100, 2]), Tensor.ones([100]), batchSize: 1, epochs: epochs(1000), verbose: 2,
                          callbacks: [CSVLogger(filename: run.log)])
            let x = model.x.value.scalar
            context.log(String(format: "x = %.6f, loss = %.6f", x, model(Tensor.zeros([1, 2]), training: false).scalars[0]))
            try model.saveWeights(to: try run.file("model.weights.h5"))
        case "optimizer_weights":
            // Keel's fit needs a built model to back up for `keel resume`: the input shape is given.
            let model = try Sequential([Dense(units: 10, inputShape: [20])])
            let optimizer = RMSprop()
            try model.compile(optimizer: .optimizer(optimizer), loss: "mse")
            let data = Tensor(shape: [5, 20], scalars: (0..<100).map(Float.init))
            // The seed's labels are zeros(5), which Keras broadcasts against the 10 outputs; Keel
            // takes targets of the output's shape, the same zeros.
            try model.fit(data, Tensor.zeros([5, 10]), epochs: epochs(1), verbose: 2, callbacks: [CSVLogger(filename: run.log)])
            let lines = optimizer.variables.map { "\($0.path) \($0.shape): \($0.value.scalars.prefix(5).map { String($0) }.joined(separator: " "))" }
            for line in lines { context.log(line) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: try run.file("optimizer_weights.txt"), atomically: true, encoding: .utf8)
            try model.save(to: run.model)
        case "sequential":
            let model = try Sequential([
                Dense(units: 64, kernelInitializer: try Registries.initializers.make("uniform"), inputShape: [10]),
                ActivationLayer(activation: "softmax"),
            ])
            let loss: LossSpec
            switch try context.string("loss") {
            case "object": loss = .loss(SparseCategoricalCrossentropy(fromLogits: true))
            case "name": loss = .name("sparse_categorical_crossentropy")
            case let other: throw KeelError("hyper-parameter 'loss'", expected: "object or name", found: other)
            }
            try model.compile(optimizer: "adam", loss: .all(loss), metrics: ["acc"])
            context.log(model.summary())
            let random = RandomGenerator(seed: context.seed)
            let x = random.uniform([1000, 10])
            let y = Tensor(shape: [1000], int32s: (0..<1000).map { _ in Int32(random.integer(below: 64)) })
            try model.fit(x, y, batchSize: 32, epochs: epochs(3), verbose: .auto, callbacks: [CSVLogger(filename: run.log)])
            try model.save(to: run.model)
        case let other:
            throw KeelError("hyper-parameter 'program'", expected: "fake_model, optimizer_weights or sequential", found: other)
        }
    }
}

/// The seed's `FakeModel`: a subclassed model whose output is a·x² + b·x + c for every feature,
/// so minimising the mean output minimises the quadratic. The seed keeps x on the model itself;
/// Keel's models hold their weights in layers, so x lives in a one-weight layer the model keeps.
final class FakeModel: Model {
    private(set) var a: Float = 1, b: Float = 0, c: Float = 0
    let variable = ScalarVariable(name: "x_holder")
    var x: Variable { variable.x }

    convenience init(a: Float, b: Float, c: Float) {
        self.init(name: "fake_model")
        (self.a, self.b, self.c) = (a, b, c)
    }

    override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] { inputShapes[0] }

    override func call(_ input: Tensor, training: Bool) -> Tensor {
        let x = variable(input, training: training)
        return Tensor.ones(input.shape) * (x.squared() * a + x * b + c)
    }
}

/// One scalar weight `x`, starting at 0, that the layer returns whatever its input.
final class ScalarVariable: Layer {
    private(set) var x: Variable!

    override func build(inputShape: [Int]) {
        x = addWeight(name: "x", shape: [], initializer: Zeros())
    }

    override func outputShape(for inputShapes: [[Int?]]) throws -> [Int?] { [] }

    override func call(_ input: Tensor, training: Bool) -> Tensor { x.value }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(CompileFit.self)
}
