import Foundation
import Keel

/// The optimizer demo of the seed's compile-and-train notes: minimise the quadratic
/// f(w) = (w₀ − 3)² + 10·(w₁ + 1)² from w = (0, 0) with each optimizer through `minimize`, with
/// gradient clipping and an ExponentialDecay schedule as variants, plus the Contrib plugin's RAdam.
/// Writes every trajectory to log.csv and a PNG plot of f per step.
final class Minimize: Experiment {
    override class var name: String { "minimize" }
    override class var summary: String { "Minimise a quadratic with every optimizer, clipping and a decaying learning rate" }
    override class var defaults: [String: HyperValue] { ["steps": .int(100), "learning_rate": .double(0.1)] }

    static func contenders(learningRate lr: Float) throws -> [(String, Optimizer)] {
        let decay = try Registries.schedules.make("ExponentialDecay", config: [
            "initial_learning_rate": .double(Double(lr)), "decay_steps": 10, "decay_rate": 0.9, "staircase": true,
        ])
        return [
            ("sgd", SGD(learningRate: .constant(lr / 10))),
            ("sgd_momentum", SGD(learningRate: .constant(lr / 10), momentum: 0.9)),
            ("sgd_nesterov", SGD(learningRate: .constant(lr / 10), momentum: 0.9, nesterov: true)),
            ("rmsprop", RMSprop(learningRate: .constant(lr))),
            ("adagrad", Adagrad(learningRate: .constant(lr))),
            ("adadelta", Adadelta(learningRate: .constant(lr * 10))),
            ("adam", Adam(learningRate: .constant(lr))),
            ("adamax", Adamax(learningRate: .constant(lr))),
            ("nadam", Nadam(learningRate: .constant(lr))),
            ("adam_clipnorm", Adam(learningRate: .constant(lr), clipnorm: 1)),
            ("adam_clipvalue", Adam(learningRate: .constant(lr), clipvalue: 0.5)),
            ("adam_exponential_decay", Adam(learningRate: .schedule(decay))),
            ("radam", try Registries.optimizers.make("RAdam", config: ["learning_rate": .double(Double(lr))])),
        ]
    }

    override func run(_ context: ExperimentContext) throws {
        let steps = try context.int("steps")
        let contenders = try Minimize.contenders(learningRate: Float(try context.double("learning_rate")))
        // Each optimizer's run is one step of the loop: `keel resume` continues after the last one
        // finished, with the trajectories so far.
        let checkpoint = context.checkpoint
        let done = try checkpoint.restore() ?? LoopPosition(epoch: 0)
        var losses = try contenders.prefix(done.epoch).map { try done.value($0.0) }
        for (name, optimizer) in contenders.dropFirst(losses.count) {
            let w = Variable(Tensor.zeros([2]), name: "w", path: "w")
            let target = Tensor(shape: [2], scalars: [3, -1]), scale = Tensor(shape: [2], scalars: [1, 10])
            let f = { ((w.value - target).squared() * scale).sum() }
            var trajectory: [Double] = []
            for _ in 0..<steps {
                optimizer.minimize(f, variables: [w])
                trajectory.append(Double(f().scalar))
            }
            let final = w.value.scalars
            context.log(name.padding(toLength: 24, withPad: " ", startingAt: 0)
                        + String(format: " f = %10.6f at w = (%.4f, %.4f)", trajectory.last ?? .nan, final[0], final[1]))
            losses.append(trajectory)
            try checkpoint.save(LoopPosition(epoch: losses.count, values: Dictionary(uniqueKeysWithValues: zip(contenders.map(\.0), losses))))
        }
        let header = ["step"] + contenders.map(\.0)
        let rows = (0..<steps).map { step in [String(step + 1)] + losses.map { JSONValue.pythonRepr($0[step]) } }
        try CSV.write([header] + rows, to: context.runDirectory.log)
        let chart = LineChart(title: "f(w) per step", xLabel: "step", yLabel: "log10 f(w)",
                              series: zip(contenders, losses).map { contender, values in
                                  LineSeries(label: contender.0, y: values.map { log10(max($0, 1e-12)) })
                              })
        try chart.write(to: context.runDirectory.file("plots/trajectories.png"))
    }
}

/// Called by the engine when the plugin loads.
public func registerPlugin(_ plugin: PluginRegistrar) throws {
    try plugin.addExperiment(Minimize.self)
}
