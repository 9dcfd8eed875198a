import XCTest
import Keel

/// The contract every registered metric keeps, run over `Registries.metrics.classNames`: it is
/// built from a config, writes Keras's config keys in Keras's order and reads them back to the
/// same config, rejects a key it does not take by name, and accumulates, resets and gives the
/// same result as a fresh metric after the reset. A registered class missing from `entries`
/// fails, so a new metric has to say what it is fed.
final class MetricContractTests: XCTestCase {
    /// What a metric is fed in the contract run.
    enum Input {
        /// `updateState(values:)` (Mean, Sum).
        case values
        /// 0/1 labels and probabilities, shape (4, 1).
        case binary
        /// One-hot labels and probabilities over 3 classes, shape (4, 3).
        case categorical
        /// Integer class ids (4) and probabilities over 3 classes (4, 3).
        case sparse
    }

    struct Entry {
        var input: Input
        /// Keras's `get_config()` keys in order (keras 3 `keras.metrics.<class>().get_config()`).
        var kerasKeys: [String]
        /// The smallest config the class accepts.
        var minimalConfig: JSONObject = [:]
        /// Keras makes (some of) the state at the first update (F-scores, R2Score), so a metric
        /// after a reset is compared with a fresh one that has been updated and reset too.
        var stateAtFirstUpdate = false
    }

    static let base = ["name", "dtype"]
    static let entries: [String: Entry] = [
        "Mean": Entry(input: .values, kerasKeys: base),
        "Sum": Entry(input: .values, kerasKeys: base),
        "MeanMetricWrapper": Entry(input: .binary, kerasKeys: base + ["fn"], minimalConfig: ["fn": "mean_squared_error"]),
        "MeanSquaredError": Entry(input: .binary, kerasKeys: base),
        "RootMeanSquaredError": Entry(input: .binary, kerasKeys: base),
        "MeanAbsoluteError": Entry(input: .binary, kerasKeys: base),
        "MeanAbsolutePercentageError": Entry(input: .binary, kerasKeys: base),
        "MeanSquaredLogarithmicError": Entry(input: .binary, kerasKeys: base),
        "CosineSimilarity": Entry(input: .categorical, kerasKeys: base),
        "LogCoshError": Entry(input: .binary, kerasKeys: base),
        "AUC": Entry(input: .binary, kerasKeys: base + ["num_thresholds", "curve", "summation_method", "multi_label",
                                                         "num_labels", "label_weights", "from_logits"]),
        "Precision": Entry(input: .binary, kerasKeys: base + ["thresholds", "top_k", "class_id"]),
        "Recall": Entry(input: .binary, kerasKeys: base + ["thresholds", "top_k", "class_id"]),
        "TruePositives": Entry(input: .binary, kerasKeys: base + ["thresholds"]),
        "FalsePositives": Entry(input: .binary, kerasKeys: base + ["thresholds"]),
        "TrueNegatives": Entry(input: .binary, kerasKeys: base + ["thresholds"]),
        "FalseNegatives": Entry(input: .binary, kerasKeys: base + ["thresholds"]),
        "Hinge": Entry(input: .binary, kerasKeys: base),
        "SquaredHinge": Entry(input: .binary, kerasKeys: base),
        "CategoricalHinge": Entry(input: .categorical, kerasKeys: base),
        "KLDivergence": Entry(input: .categorical, kerasKeys: base),
        "Poisson": Entry(input: .binary, kerasKeys: base),
        "BinaryCrossentropy": Entry(input: .binary, kerasKeys: base + ["from_logits", "label_smoothing"]),
        "CategoricalCrossentropy": Entry(input: .categorical, kerasKeys: base + ["from_logits", "label_smoothing", "axis"]),
        "SparseCategoricalCrossentropy": Entry(input: .sparse, kerasKeys: base + ["from_logits", "ignore_class", "axis"]),
        "Accuracy": Entry(input: .binary, kerasKeys: base),
        "BinaryAccuracy": Entry(input: .binary, kerasKeys: base + ["threshold"]),
        "CategoricalAccuracy": Entry(input: .categorical, kerasKeys: base),
        "SparseCategoricalAccuracy": Entry(input: .sparse, kerasKeys: base),
        "TopKCategoricalAccuracy": Entry(input: .categorical, kerasKeys: base + ["k"]),
        "SparseTopKCategoricalAccuracy": Entry(input: .sparse, kerasKeys: base + ["k"]),

        "F1Score": Entry(input: .categorical, kerasKeys: base + ["average", "threshold"], stateAtFirstUpdate: true),
        "FBetaScore": Entry(input: .categorical, kerasKeys: base + ["average", "beta", "threshold"], stateAtFirstUpdate: true),
        "R2Score": Entry(input: .binary, kerasKeys: base + ["class_aggregation", "num_regressors"], stateAtFirstUpdate: true),
        "IoU": Entry(input: .sparse, kerasKeys: base + ["num_classes", "target_class_ids", "ignore_class", "sparse_y_true",
                                                        "sparse_y_pred", "axis"],
                     minimalConfig: ["num_classes": 3, "target_class_ids": [0, 2], "sparse_y_pred": false]),
        "MeanIoU": Entry(input: .sparse, kerasKeys: ["num_classes"] + base + ["ignore_class", "sparse_y_true", "sparse_y_pred", "axis"],
                         minimalConfig: ["num_classes": 3, "sparse_y_pred": false]),
        "BinaryIoU": Entry(input: .binary, kerasKeys: ["target_class_ids", "threshold"] + base),
        "OneHotIoU": Entry(input: .categorical, kerasKeys: ["num_classes", "target_class_ids"] + base + ["ignore_class", "sparse_y_pred", "axis"],
                           minimalConfig: ["num_classes": 3, "target_class_ids": [0, 2]]),
        "OneHotMeanIoU": Entry(input: .categorical, kerasKeys: ["num_classes"] + base + ["ignore_class", "sparse_y_pred", "axis"],
                               minimalConfig: ["num_classes": 3]),
        "PearsonCorrelation": Entry(input: .categorical, kerasKeys: base + ["axis"]),
        "ConcordanceCorrelation": Entry(input: .categorical, kerasKeys: base + ["axis"]),
        "PrecisionAtRecall": Entry(input: .binary, kerasKeys: base + ["class_id", "num_thresholds", "recall"],
                                   minimalConfig: ["recall": 0.5]),
        "RecallAtPrecision": Entry(input: .binary, kerasKeys: base + ["class_id", "num_thresholds", "precision"],
                                   minimalConfig: ["precision": 0.5]),
        "SensitivityAtSpecificity": Entry(input: .binary, kerasKeys: base + ["class_id", "num_thresholds", "specificity"],
                                          minimalConfig: ["specificity": 0.5]),
        "SpecificityAtSensitivity": Entry(input: .binary, kerasKeys: base + ["class_id", "num_thresholds", "sensitivity"],
                                          minimalConfig: ["sensitivity": 0.5]),
    ]

    private func entry(_ className: String) throws -> Entry {
        try XCTUnwrap(Self.entries[className], "\(className) is registered but has no contract entry")
    }

    func testEveryRegisteredMetricHasAContractEntry() {
        let missing = Registries.metrics.classNames.filter { Self.entries[$0] == nil }
        XCTAssertEqual(missing, [], "registered metrics without a contract entry")
    }

    func testConfigsAreKerasKeysInKerasOrderAndRoundTrip() throws {
        for className in Registries.metrics.classNames {
            let entry = try entry(className)
            let metric = try Registries.metrics.make(className, config: entry.minimalConfig)
            let config = metric.config
            XCTAssertEqual(config.keys, entry.kerasKeys, className)
            let rebuilt = try Registries.metrics.make(className, config: config)
            XCTAssertEqual(rebuilt.config, config, className)
            XCTAssertEqual(rebuilt.config.keys, config.keys, className)
            XCTAssertEqual(rebuilt.name, metric.name, className)
        }
    }

    func testAnUnknownKeyIsAKeelErrorNamingIt() throws {
        for className in Registries.metrics.classNames {
            var config = try entry(className).minimalConfig
            config["not_a_field"] = 1
            XCTAssertThrowsError(try Registries.metrics.make(className, config: config), className) { error in
                XCTAssertTrue(error is KeelError, "\(className): \(error)")
                XCTAssertTrue("\(error)".contains("'not_a_field'"), "\(className): \(error)")
            }
        }
    }

    func testUpdateResultAndResetMatchAFreshMetric() throws {
        for className in Registries.metrics.classNames {
            let entry = try entry(className)
            let metric = try Registries.metrics.make(className, config: entry.minimalConfig)
            let fresh = try Registries.metrics.make(className, config: entry.minimalConfig)
            if entry.stateAtFirstUpdate {
                update(fresh, with: entry.input)
                fresh.resetState()
            }
            let freshResult = fresh.result().scalars
            update(metric, with: entry.input)
            update(metric, with: entry.input)
            let result = metric.result().scalars
            XCTAssertFalse(result.isEmpty, className)
            XCTAssertTrue(result.allSatisfy(\.isFinite), "\(className): \(result)")
            metric.resetState()
            // R2Score is NaN (0/0) after a reset, as in Keras: NaN matches NaN here.
            XCTAssertEqual(metric.result().scalars.map { $0.isNaN ? "NaN" : "\($0)" },
                           freshResult.map { $0.isNaN ? "NaN" : "\($0)" }, className)
            XCTAssertEqual(metric.variables.map(\.name), fresh.variables.map(\.name), className)
            XCTAssertEqual(metric.variables.map(\.value.scalars), fresh.variables.map(\.value.scalars), className)
        }
    }

    private func update(_ metric: Metric, with input: Input) {
        let probabilities = Tensor(shape: [4, 3], scalars: [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1])
        switch input {
        case .values:
            (metric as! ValueAccumulatingMetric).updateState(values: Tensor(shape: [4], scalars: [1, 2, 3, 4]),
                                                             sampleWeight: Tensor(shape: [4], scalars: [1, 0.5, 0, 2]))
        case .binary:
            metric.updateState(yTrue: Tensor(shape: [4, 1], scalars: [0, 1, 1, 0]),
                               yPred: Tensor(shape: [4, 1], scalars: [0.2, 0.8, 0.4, 0.6]))
        case .categorical:
            metric.updateState(yTrue: Tensor(shape: [4, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]),
                               yPred: probabilities)
        case .sparse:
            metric.updateState(yTrue: Tensor(shape: [4], scalars: [0, 1, 2, 1]), yPred: probabilities)
        }
    }

    /// A bad value given in Swift does not trap when the metric is made; `check()`, and so
    /// `compile`, reports it.
    func testABadSwiftValueIsReportedByCompileNotATrap() throws {
        let precision = Metrics.Precision(thresholds: 1.5)
        XCTAssertThrowsError(try precision.check()) { error in
            XCTAssertTrue("\(error)".contains("'thresholds'"), "\(error)")
        }
        let auc = Metrics.AUC(numThresholds: 1)
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1, activation: "sigmoid")])
        XCTAssertThrowsError(try model.compile(optimizer: "sgd", loss: "binary_crossentropy", metrics: .all([.metric(auc)]))) {
            error in
            XCTAssertTrue("\(error)".contains("'num_thresholds'"), "\(error)")
        }
    }

    /// Swift initialisers and configs agree: the initialiser's values are what the config says.
    func testSwiftInitialisersSetTheDeclaredFields() {
        XCTAssertEqual(Metrics.AUC(numThresholds: 3, curve: .pr, thresholds: [0.7, 0.2]).config["num_thresholds"], 4)
        XCTAssertEqual(Metrics.AUC(thresholds: [0.7, 0.2]).config["thresholds"], [0.2, 0.7])
        XCTAssertEqual(Metrics.Recall(thresholds: [0.3, 0.6], classID: 1).variables.map(\.shape), [[2], [2]])
        XCTAssertEqual(Metrics.TruePositives(thresholds: 0.3).config["thresholds"], 0.3)
        XCTAssertEqual(Metrics.BinaryAccuracy(threshold: 0.7, name: "acc7").config, ["name": "acc7", "dtype": "float32", "threshold": 0.7])
        XCTAssertEqual(Metrics.Mean().name, "mean")
    }

    /// Keras's `compile` raises for a metric name it does not know; `fit` used to train silently
    /// without any metric instead.
    func testCompileRejectsAnUnknownMetricName() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1, activation: "sigmoid")])
        XCTAssertThrowsError(try model.compile(optimizer: "sgd", loss: "binary_crossentropy", metrics: ["acc", "f1", "bogus"])) {
            error in
            let message = "\(error)"
            XCTAssertTrue(error is KeelError, message)
            XCTAssertTrue(message.contains("'f1'") || message.contains("'bogus'"), message)
            XCTAssertTrue(message.contains("closest"), message)
        }
    }
}
