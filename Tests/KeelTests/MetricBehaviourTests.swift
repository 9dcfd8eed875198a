import XCTest
import Keel

/// Metric behaviour beyond the Keras fixtures: a user-defined metric, Keras's documented
/// examples for AUC/Precision/Recall options the fixtures do not exercise, and state handling.
final class MetricBehaviourTests: XCTestCase {
    /// The seed project's RMSE metric, written the way a user subclasses `Metric`.
    final class SeedRMSE: Metric {
        override class var kerasClassName: String { "SeedRMSE" }
        override class var defaultName: String? { "seed_rmse" }
        private var squaredErrorSum: Variable!
        private var count: Variable!

        override func didConfigure() {
            super.didConfigure()
            squaredErrorSum = addVariable(name: "squared_error_sum")
            count = addVariable(name: "count")
        }

        override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) {
            let squared = (yPred - yTrue).squared()
            squaredErrorSum.assignAdd(squared.sum())
            count.assignAdd(Tensor(Float(squared.count)))
        }

        override func result() -> Tensor { (squaredErrorSum.value / count.value).sqrt() }

        override var higherIsBetter: Bool { false }
    }

    func testAUserDefinedMetricIsFoundByNameAndAccumulates() throws {
        let registry = Registry<Metric>(kind: "metric")
        try registry.register(SeedRMSE.self, aliases: ["seed_rmse"], origin: "test")
        XCTAssertEqual(registry.entry(named: "seed_rmse")?.origin, "test")
        XCTAssertFalse(Registries.metrics.contains("SeedRMSE"))
        let metric = try registry.make("seed_rmse")
        metric.updateState(yTrue: Tensor(shape: [2, 1], scalars: [0, 0]), yPred: Tensor(shape: [2, 1], scalars: [3, 4]))
        XCTAssertEqual(metric.result().scalar, Float(12.5).squareRoot(), accuracy: 1e-6)
        metric.updateState(yTrue: Tensor(shape: [2, 1], scalars: [0, 0]), yPred: Tensor(shape: [2, 1], scalars: [0, 0]))
        XCTAssertEqual(metric.result().scalar, Float(6.25).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(metric.variables.map(\.name), ["squared_error_sum", "count"])
        XCTAssertEqual(metric.variables.map(\.path), ["seed_rmse/squared_error_sum", "seed_rmse/count"])
        metric.resetState()
        XCTAssertEqual(metric.variables.map { $0.value.scalar }, [0, 0])
        XCTAssertEqual(metric.config, ["name": "seed_rmse", "dtype": "float32"])
    }

    func testTheSeedMetricAgreesWithRootMeanSquaredError() {
        let yTrue = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let yPred = Tensor(shape: [3, 2], scalars: [1.5, 2, 2, 4, 7, 6])
        let seed = SeedRMSE(), builtIn = Metrics.RootMeanSquaredError()
        seed.updateState(yTrue: yTrue, yPred: yPred)
        builtIn.updateState(yTrue: yTrue, yPred: yPred)
        XCTAssertEqual(seed.result().scalar, builtIn.result().scalar, accuracy: 1e-6)
    }

    func testAUCMatchesKerasExample() {
        let auc = Metrics.AUC(numThresholds: 3)
        let labels = Tensor(shape: [4], scalars: [0, 0, 1, 1]), scores = Tensor(shape: [4], scalars: [0, 0.5, 0.3, 0.9])
        auc.updateState(yTrue: labels, yPred: scores)
        XCTAssertEqual(auc.result().scalar, 0.75, accuracy: 1e-6)
        auc.resetState()
        auc.updateState(yTrue: labels, yPred: scores, sampleWeight: Tensor(shape: [4], scalars: [1, 0, 0, 1]))
        XCTAssertEqual(auc.result().scalar, 1.0, accuracy: 1e-6)
    }

    func testAUCSummationMethodsBracketTheInterpolatedArea() {
        let labels = Tensor(shape: [6], scalars: [0, 1, 0, 1, 1, 0])
        let scores = Tensor(shape: [6], scalars: [0.2, 0.6, 0.55, 0.8, 0.3, 0.1])
        func area(_ method: Metrics.AUC.SummationMethod, _ curve: Metrics.AUC.Curve = .roc) -> Float {
            let auc = Metrics.AUC(numThresholds: 10, curve: curve, summationMethod: method)
            auc.updateState(yTrue: labels, yPred: scores)
            return auc.result().scalar
        }
        XCTAssertLessThanOrEqual(area(.minoring), area(.interpolation))
        XCTAssertLessThanOrEqual(area(.interpolation), area(.majoring))
        XCTAssertLessThanOrEqual(area(.minoring, .pr), area(.majoring, .pr))
    }

    func testMultiLabelAUCAveragesTheLabels() {
        let labels = Tensor(shape: [4, 2], scalars: [0, 1, 0, 0, 1, 1, 1, 0])
        let scores = Tensor(shape: [4, 2], scalars: [0.1, 0.9, 0.4, 0.2, 0.8, 0.7, 0.6, 0.3])
        let multi = Metrics.AUC(multiLabel: true)
        multi.updateState(yTrue: labels, yPred: scores)
        XCTAssertEqual(multi.variables.first?.shape, [200, 2])
        var perLabel: [Float] = []
        for column in 0..<2 {
            let single = Metrics.AUC()
            single.updateState(yTrue: labels.slice(begin: [0, column], size: [4, 1]),
                               yPred: scores.slice(begin: [0, column], size: [4, 1]))
            perLabel.append(single.result().scalar)
        }
        XCTAssertEqual(multi.result().scalar, (perLabel[0] + perLabel[1]) / 2, accuracy: 1e-6)
    }

    func testPrecisionAndRecallMatchKerasExamples() {
        let precision = Metrics.Precision()
        precision.updateState(yTrue: Tensor(shape: [4], scalars: [0, 1, 1, 1]), yPred: Tensor(shape: [4], scalars: [1, 0, 1, 1]))
        XCTAssertEqual(precision.result().scalar, 0.6666667, accuracy: 1e-6)
        let topTwo = Metrics.Precision(topK: 2), topFour = Metrics.Precision(topK: 4)
        for metric in [topTwo, topFour] {
            metric.updateState(yTrue: Tensor(shape: [4], scalars: [0, 0, 1, 1]), yPred: Tensor(shape: [4], scalars: [1, 1, 1, 1]))
        }
        XCTAssertEqual(topTwo.result().scalar, 0)
        XCTAssertEqual(topFour.result().scalar, 0.5)

        let recall = Metrics.Recall(classID: 1)
        recall.updateState(yTrue: Tensor(shape: [2, 2], scalars: [0, 1, 0, 1]), yPred: Tensor(shape: [2, 2], scalars: [0.2, 0.7, 0.6, 0.4]))
        XCTAssertEqual(recall.result().scalar, 0.5)
        let several = Metrics.Recall(thresholds: [0.3, 0.5, 0.9])
        several.updateState(yTrue: Tensor(shape: [3], scalars: [1, 1, 0]), yPred: Tensor(shape: [3], scalars: [0.4, 0.95, 0.2]))
        XCTAssertEqual(several.result().scalars, [1, 0.5, 0.5])
    }

    func testMeanTakesValuesAndWeights() {
        let mean = Metrics.Mean()
        mean.updateState(values: Tensor(shape: [2, 2], scalars: [1, 3, 5, 7]), sampleWeight: Tensor(shape: [2], scalars: [1, 3]))
        XCTAssertEqual(mean.result().scalar, (2 * 1 + 6 * 3) / 4.0, accuracy: 1e-6)
        mean.updateState(values: Tensor(10), sampleWeight: nil)
        XCTAssertEqual(mean.count.value.scalar, 5)
        let sum = Metrics.Sum()
        sum.updateState(values: Tensor(shape: [3], scalars: [1, 2, 3]), sampleWeight: Tensor(shape: [3], scalars: [1, 0, 2]))
        XCTAssertEqual(sum.result().scalar, 7)
    }
}
