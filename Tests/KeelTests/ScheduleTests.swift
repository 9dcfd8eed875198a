import XCTest
import Keel

/// Learning-rate schedules at the values keras-spec §8.4 verified in Keras, the restarts of
/// CosineDecayRestarts (worked out by hand from its definition), configs and their errors.
final class ScheduleTests: XCTestCase {
    private func rates(_ schedule: LearningRateSchedule, _ steps: ClosedRange<Int>) -> [Float] { steps.map { schedule($0) } }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-4, file: file, line: line) }
    }

    func testSpecValues() {
        assertClose(rates(ExponentialDecay(initialLearningRate: 1, decaySteps: 2, decayRate: 0.5, staircase: true), 0...4),
                    [1, 1, 0.5, 0.5, 0.25])
        assertClose(rates(PiecewiseConstantDecay(boundaries: [2, 4], values: [1, 0.5, 0.1]), 0...5),
                    [1, 1, 1, 0.5, 0.5, 0.1])
        assertClose(rates(CosineDecay(initialLearningRate: 1, decaySteps: 4, alpha: 0.1), 0...5),
                    [1, 0.8682, 0.55, 0.2318, 0.1, 0.1])
        assertClose(rates(InverseTimeDecay(initialLearningRate: 1, decaySteps: 2, decayRate: 0.5), 0...4),
                    [1, 0.8, 0.6667, 0.5714, 0.5])
        assertClose(rates(PolynomialDecay(initialLearningRate: 1, decaySteps: 4, endLearningRate: 0), 0...5),
                    [1, 0.75, 0.5, 0.25, 0, 0])
    }

    func testCosineDecayRestartsRestartsOverGrowingPeriods() {
        // Periods of 2, 4, 8 steps starting at steps 0, 2, 6: the rate is back at the peak there.
        let restarts = CosineDecayRestarts(initialLearningRate: 1, firstDecaySteps: 2)
        assertClose(rates(restarts, 0...6), [1, 0.5, 1, 0.8536, 0.5, 0.1464, 1])
        let damped = CosineDecayRestarts(initialLearningRate: 1, firstDecaySteps: 2, tMul: 1, mMul: 0.5, alpha: 0.2)
        assertClose(rates(damped, 0...4), [1, 0.6, 0.6, 0.4, 0.4])
    }

    func testEveryBuiltInScheduleRebuildsFromItsOwnConfig() throws {
        let schedules: [LearningRateSchedule] = [
            ExponentialDecay(initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5, staircase: true),
            PiecewiseConstantDecay(boundaries: [2, 5], values: [0.1, 0.05, 0.01]),
            PolynomialDecay(initialLearningRate: 0.1, decaySteps: 4, power: 2, cycle: true),
            InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5),
            CosineDecay(initialLearningRate: 0, decaySteps: 20, warmupTarget: 0.1, warmupSteps: 5),
            CosineDecayRestarts(initialLearningRate: 0.1, firstDecaySteps: 3, tMul: 1.5, mMul: 0.9, alpha: 0.01),
        ]
        for schedule in schedules {
            let className = type(of: schedule).kerasClassName
            let rebuilt = try Registries.schedules.make(className, config: schedule.config)
            XCTAssertEqual(rebuilt.config, schedule.config, className)
            XCTAssertEqual(rates(rebuilt, 0...12), rates(schedule, 0...12), className)
        }
    }

    func testAScheduleSerializesInsideAnOptimizerConfig() throws {
        let optimizer = SGD(learningRate: .schedule(InverseTimeDecay(initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5)))
        let rebuilt = try Registries.optimizers.make("SGD", config: optimizer.config)
        XCTAssertEqual(rebuilt.config, optimizer.config)
        XCTAssertEqual(rebuilt.config["learning_rate"]?.objectValue?["class_name"], "InverseTimeDecay")
    }

    func testBadConfigsNameTheField() {
        let cases: [(String, JSONObject, String)] = [
            ("ExponentialDecay", ["initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5], "decay_steps"),
            ("PiecewiseConstantDecay", ["boundaries": [1, 2], "values": [0.1]], "values"),
            ("CosineDecay", ["initial_learning_rate": 0.1, "decay_stpes": 10], "decay_stpes"),
            ("PolynomialDecay", ["decay_steps": 10], "initial_learning_rate"),
        ]
        for (className, config, field) in cases {
            XCTAssertThrowsError(try Registries.schedules.make(className, config: config), className) { error in
                XCTAssertTrue("\(error)".contains("'\(field)'"), "\(className): \(error)")
            }
        }
    }
}
