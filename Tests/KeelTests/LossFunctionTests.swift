import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Keras's function form of every loss (`keras.losses.mean_squared_error(y_true, y_pred)`):
/// per-sample values equal to the loss class with reduction "none", bad inputs thrown as a
/// `KeelError` naming the loss, and a function usable in `compile`.
final class LossFunctionTests: XCTestCase {
    static let labels = LossContractTests.labels
    static let predictions = LossContractTests.predictions

    /// Each function against its class, on the inputs the loss contract feeds that class.
    func testEveryFunctionGivesTheClassesPerSampleValues() throws {
        let t = Self.labels, p = Self.predictions
        let ids = Tensor(shape: [3], int32s: [1, 0, 2])
        let (circleLabels, embeddings) = LossContractTests.inputs["Circle"]!
        let (ctcLabels, logits) = LossContractTests.inputs["CTC"]!
        let segmentation = Tensor(shape: [3, 3], scalars: [1, 0, 1, 0, 0, 1, 1, 1, 0])
        let cases: [(String, JSONObject, Tensor, Tensor, (Tensor, Tensor) throws -> Tensor)] = [
            ("MeanSquaredError", [:], t, p, meanSquaredError),
            ("MeanAbsoluteError", [:], t, p, meanAbsoluteError),
            ("MeanAbsolutePercentageError", [:], t, p, meanAbsolutePercentageError),
            ("MeanSquaredLogarithmicError", [:], t, p, meanSquaredLogarithmicError),
            ("CosineSimilarity", ["axis": 0], t, p, { try cosineSimilarity($0, $1, axis: 0) }),
            ("Huber", ["delta": 0.1], t, p, { try huber($0, $1, delta: 0.1) }),
            ("LogCosh", [:], t, p, logCosh),
            ("Hinge", [:], t, p, hinge),
            ("SquaredHinge", [:], t, p, squaredHinge),
            ("CategoricalHinge", [:], t, p, categoricalHinge),
            ("KLDivergence", [:], t, p, klDivergence),
            ("Poisson", [:], t, p, poisson),
            ("BinaryCrossentropy", ["from_logits": true, "label_smoothing": 0.1], t, p,
             { try binaryCrossentropy($0, $1, fromLogits: true, labelSmoothing: 0.1) }),
            ("CategoricalCrossentropy", ["label_smoothing": 0.2], t, p, { try categoricalCrossentropy($0, $1, labelSmoothing: 0.2) }),
            ("SparseCategoricalCrossentropy", ["ignore_class": 0], ids, p,
             { try sparseCategoricalCrossentropy($0, $1, ignoreClass: 0) }),
            ("BinaryFocalCrossentropy", ["apply_class_balancing": true, "gamma": 1.5], t, p,
             { try binaryFocalCrossentropy($0, $1, applyClassBalancing: true, gamma: 1.5) }),
            ("CategoricalFocalCrossentropy", ["alpha": [0.2, 0.3, 0.5]], t, p,
             { try categoricalFocalCrossentropy($0, $1, alpha: [0.2, 0.3, 0.5]) }),
            ("FocalLoss", ["alpha": 0.6], t, p, { try focalLoss($0, $1, alpha: 0.6) }),
            ("Dice", [:], segmentation, p, { try dice($0, $1) }),
            ("Dice", ["axis": -1], segmentation, p, { try dice($0, $1, axis: -1) }),
            ("Tversky", ["alpha": 0.3, "beta": 0.7, "axis": [1]], segmentation, p,
             { try tversky($0, $1, alpha: 0.3, beta: 0.7, axis: [1]) }),
            ("Circle", ["remove_diagonal": false, "gamma": 60.0], circleLabels, embeddings,
             { try circle($0, $1, removeDiagonal: false, gamma: 60) }),
            ("CTC", [:], ctcLabels, logits, ctc),
            ("CategoricalGeneralizedCrossEntropy", ["q": 0.7], ids, p, { try categoricalGeneralizedCrossEntropy($0, $1, q: 0.7) }),
        ]
        var covered = Set<String>()
        for (className, fields, yTrue, yPred, function) in cases {
            var config = fields
            if className != "FocalLoss" { config["reduction"] = "none" }
            let loss = try Registries.losses.make(className, config: config)
            if className == "FocalLoss" { loss.reduction = .none }
            let expected = loss(yTrue, yPred)
            let values = try function(yTrue, yPred)
            XCTAssertEqual(values.shape, expected.shape, className)
            XCTAssertEqual(values.scalars, expected.scalars, className)
            covered.insert(className)
        }
        XCTAssertEqual(covered, Set(Registries.losses.classNames), "every registered loss has a function form here")
    }

    func testABadInputIsAKeelErrorNamingTheLoss() {
        let bad: [(String, () throws -> Tensor)] = [
            ("MeanSquaredError", { try meanSquaredError(Tensor.zeros([4, 3]), Tensor.zeros([4, 2])) }),
            ("SparseCategoricalCrossentropy", { try sparseCategoricalCrossentropy(Tensor.zeros([5]), Tensor.zeros([4, 3])) }),
            ("Dice", { try dice(Tensor.zeros([4, 3]), Tensor.zeros([4, 3]), axis: [2]) }),
            ("Circle", { try circle(Tensor.zeros([3]), Tensor.zeros([4, 2])) }),
            ("CTC", { try ctc(Tensor.zeros([2, 2]), Tensor.zeros([2, 5])) }),
            ("CTC", { try ctc(Tensor(shape: [1, 2], scalars: [1, 7]), Tensor.zeros([1, 5, 3])) }),
            ("CategoricalGeneralizedCrossEntropy", { try categoricalGeneralizedCrossEntropy(Tensor.zeros([3]), Tensor.zeros([4, 3]), q: 0.5) }),
            ("CategoricalGeneralizedCrossEntropy", { try categoricalGeneralizedCrossEntropy(Tensor.zeros([4]), Tensor.zeros([4, 3]), q: 1.5) }),
        ]
        for (className, call) in bad {
            XCTAssertThrowsError(try call(), className) { error in
                XCTAssertTrue(error is KeelError, "\(className): \(error)")
                XCTAssertTrue("\(error)".contains(className), "\(className): \(error)")
            }
        }
    }

    /// `compile` takes a loss function as Keras does; it trains to the same loss as the loss's
    /// name, and a saved model records the function's name.
    func testCompileTakesALossFunction() throws {
        func model() throws -> Sequential {
            KeelRandom.setSeed(7)
            return try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 3, activation: "softmax")])
        }
        let byFunction = try model(), byName = try model()
        try byFunction.compile(optimizer: "sgd", loss: .all(.function(name: "mean_squared_error", meanSquaredError)))
        try byName.compile(optimizer: "sgd", loss: "mean_squared_error")
        let x = Tensor(shape: [3, 3], scalars: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        let a = try byFunction.fit(x, Self.labels, batchSize: 3, epochs: 2, verbose: 0)
        let b = try byName.fit(x, Self.labels, batchSize: 3, epochs: 2, verbose: 0)
        XCTAssertEqual(a.history["loss"]!, b.history["loss"]!)
        // Saved, the function is recorded by its name and loads back as that loss.
        let directory = ProjectPaths.temporaryDirectory("keel-loss-function")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.keras").path
        try byFunction.save(to: path)
        let loaded = try Model.load(from: path)
        let loadedLoss = loaded.compiled?.losses.first ?? nil
        XCTAssertTrue(loadedLoss is MeanSquaredError, "\(String(describing: loadedLoss))")
        let custom = try model()
        try custom.compile(optimizer: "sgd",
                           loss: .all(.function(name: "scaled_dice", { yTrue, yPred in try dice(yTrue, yPred, axis: -1) * 2 })))
        let evaluated = try custom.evaluate(x, Self.labels, verbose: 0)["loss"]!
        let expected = try dice(Self.labels, custom.predict(x, verbose: 0), axis: -1).mean().scalar * 2
        XCTAssertEqual(evaluated, Double(expected), accuracy: 1e-5)
    }

    /// `fit` and `evaluate` run the losses' and metrics' input checks on each batch: a batch
    /// one of them cannot take is a KeelError naming it, not a stop.
    func testFitAndEvaluateThrowALossOrMetricsInputErrorNamingIt() throws {
        let x = Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) / 12 })
        let y = Tensor(shape: [4, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0])
        let ctcModel = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 3)])
        try ctcModel.compile(optimizer: "sgd", loss: "ctc")
        XCTAssertThrowsError(try ctcModel.fit(x, y, batchSize: 4, epochs: 1, verbose: 0)) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
            XCTAssertTrue("\(error)".contains("CTC"), "\(error)")
        }
        let iouModel = try Sequential([InputLayer(batchShape: [nil, 3]), Dense(units: 3, activation: "softmax")])
        try iouModel.compile(optimizer: "sgd", loss: "categorical_crossentropy",
                             metrics: .all([.metric(Metrics.MeanIoU(numClasses: 3, sparseYTrue: false, sparseYPred: false, axis: 2))]))
        XCTAssertThrowsError(try iouModel.evaluate(x, y, verbose: 0)) { error in
            XCTAssertTrue(error is KeelError, "\(error)")
            XCTAssertTrue("\(error)".contains("MeanIoU"), "\(error)")
        }
    }

    /// A metric's input checks throw through `update`, naming the metric.
    func testAMetricsBadInputIsAKeelErrorNamingIt() {
        let metrics: [Metric] = [Metrics.F1Score(), Metrics.R2Score(), Metrics.MeanIoU(numClasses: 3),
                                 Metrics.PearsonCorrelation(), Metrics.PrecisionAtRecall(recall: 0.5)]
        for metric in metrics {
            XCTAssertThrowsError(try metric.update(yTrue: Tensor.zeros([4, 3]), yPred: Tensor.zeros([5, 2]))) { error in
                XCTAssertTrue(error is KeelError, "\(metric.name): \(error)")
                XCTAssertTrue("\(error)".contains(type(of: metric).kerasClassName), "\(error)")
            }
        }
    }
}
