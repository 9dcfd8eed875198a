import XCTest
import Keel

/// How optimizers behave over steps: minimize, weight decay, schedules, loss scaling, names and
/// variable order, learning-rate changes.
final class OptimizerTrainingTests: XCTestCase {
    override func setUp() {
        super.setUp()
        Naming.reset()
    }

    private func minimizeQuadratic(_ optimizer: Optimizer, steps: Int) -> [Float] {
        let target = Tensor(shape: [2], scalars: [3, -2])
        let w = Variable(Tensor.zeros([2]), name: "w")
        for _ in 0..<steps {
            optimizer.minimize({ (w.value - target).squared().sum() }, variables: [w])
        }
        return w.value.scalars
    }

    func testMinimizeFindsTheMinimumOfAQuadratic() {
        let sgd = minimizeQuadratic(SGD(learningRate: 0.1), steps: 100)
        XCTAssertEqual(sgd[0], 3, accuracy: 1e-4)
        XCTAssertEqual(sgd[1], -2, accuracy: 1e-4)
        let adam = minimizeQuadratic(Adam(learningRate: 0.1), steps: 500)
        XCTAssertEqual(adam[0], 3, accuracy: 1e-2)
        XCTAssertEqual(adam[1], -2, accuracy: 1e-2)
    }

    func testWeightDecayIsDecoupledAndUsesTheLearningRate() {
        let w = Variable(Tensor(shape: [1], scalars: [2]), name: "kernel")
        SGD(learningRate: 0.1, weightDecay: 0.5).apply([Tensor.zeros([1])], to: [w])
        XCTAssertEqual(w.value.scalars[0], 2 - 2 * 0.5 * 0.1, accuracy: 1e-6)
    }

    func testExcludedVariablesAreNotDecayed() {
        let kernel = Variable(Tensor(shape: [1], scalars: [2]), name: "kernel", path: "dense/kernel")
        let bias = Variable(Tensor(shape: [1], scalars: [2]), name: "bias", path: "dense/bias")
        let optimizer = AdamW(learningRate: 0.1, weightDecay: 0.5)
        optimizer.excludeFromWeightDecay(names: ["bias"])
        optimizer.apply([Tensor.zeros([1]), Tensor.zeros([1])], to: [kernel, bias])
        XCTAssertEqual(kernel.value.scalars[0], 1.9, accuracy: 1e-6)
        XCTAssertEqual(bias.value.scalars[0], 2)
    }

    func testAdamWDecaysByDefaultAndRefusesNoDecay() throws {
        XCTAssertEqual(AdamW().weightDecay, 0.004)
        XCTAssertEqual(try Registries.optimizers.make("adamw").config["weight_decay"], .double(0.004))
        XCTAssertThrowsError(try Registries.optimizers.make("AdamW", config: ["weight_decay": nil])) { error in
            XCTAssertTrue("\(error)".contains("weight_decay"), "\(error)")
        }
    }

    func testAScheduleIsEvaluatedAtTheStepsAlreadyTaken() {
        // keras-spec §8.4: SGD with ExponentialDecay(1, 1, 0.5), gradient 1, three steps → −1.75.
        let optimizer = SGD(learningRate: .schedule(ExponentialDecay(initialLearningRate: 1, decaySteps: 1, decayRate: 0.5)))
        let w = Variable(Tensor.zeros([1]), name: "w")
        for _ in 0..<3 { optimizer.apply([Tensor.ones([1])], to: [w]) }
        XCTAssertEqual(w.value.scalars[0], -1.75, accuracy: 1e-6)
        XCTAssertEqual(optimizer.variables.map(\.name), ["iteration"], "a schedule leaves no learning_rate variable")
    }

    func testLossScalingDoesNotChangeTheStep() {
        let w = Variable(Tensor.zeros([1]), name: "w")
        let optimizer = SGD(learningRate: 1, lossScaleFactor: 8)
        optimizer.minimize({ (w.value * 3).sum() }, variables: [w])
        XCTAssertEqual(w.value.scalars[0], -3, accuracy: 1e-6)
    }

    func testDefaultNamesAreNumberedPerProcessLikeKeras() {
        XCTAssertEqual(Adam().name, "adam")
        XCTAssertEqual(Adam().name, "adam_1")
        XCTAssertEqual(RMSprop().name, "rm_sprop")
        XCTAssertEqual(AdamW().name, "adam_w")
        XCTAssertEqual(Adam(name: "mine").name, "mine")
    }

    func testVariablesFollowKerasOrder() {
        let kernel = Variable(Tensor.zeros([2, 2]), name: "kernel", path: "dense/kernel")
        let bias = Variable(Tensor.zeros([2]), name: "bias", path: "dense/bias")
        let optimizer = Adam(amsgrad: true)
        optimizer.apply([Tensor.ones([2, 2]), Tensor.ones([2])], to: [kernel, bias])
        XCTAssertEqual(optimizer.variables.map(\.path), [
            "adam/iteration", "adam/learning_rate",
            "adam/dense_kernel_momentum", "adam/dense_kernel_velocity",
            "adam/dense_bias_momentum", "adam/dense_bias_velocity",
            "adam/dense_kernel_velocity_hat", "adam/dense_bias_velocity_hat",
        ])
        XCTAssertEqual(optimizer.iterations, 1)
    }

    func testSettingTheLearningRateShowsInTheVariableAndConfig() {
        let optimizer = SGD(learningRate: 0.1)
        optimizer.setLearningRate(0.05)
        XCTAssertEqual(optimizer.currentLearningRate, 0.05)
        XCTAssertEqual(optimizer.config["learning_rate"], .double(Double(Float(0.05))))
    }

    func testEveryBuiltInOptimizerRebuildsFromItsOwnConfig() throws {
        for className in Registries.optimizers.classNames where Registries.optimizers.entry(named: className)?.origin == "Keel" {
            let original = try Registries.optimizers.make(className)
            let rebuilt = try Registries.optimizers.make(className, config: original.config)
            XCTAssertEqual(rebuilt.config, original.config, className)
            XCTAssertEqual(type(of: rebuilt).kerasClassName, className)
        }
    }
}
