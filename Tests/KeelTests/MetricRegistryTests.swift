import XCTest
import Keel

/// Metrics by name: Keras's class names and `keras.metrics.get` aliases, `compile`-style
/// resolution of "accuracy"/"acc"/"crossentropy" from shapes, clear errors, and a metric defined
/// outside Keel found like a built-in.
final class MetricRegistryTests: XCTestCase {
    func testKerasClassNamesAndAliasesBuildTheirClass() throws {
        let aliases: [String: [String]] = [
            "Mean": ["mean"], "Sum": ["sum"], "Accuracy": ["accuracy", "acc"], "BinaryAccuracy": ["binary_accuracy"],
            "CategoricalAccuracy": ["categorical_accuracy"], "SparseCategoricalAccuracy": ["sparse_categorical_accuracy"],
            "TopKCategoricalAccuracy": ["top_k_categorical_accuracy"],
            "SparseTopKCategoricalAccuracy": ["sparse_top_k_categorical_accuracy"],
            "AUC": ["auc"], "Precision": ["precision"], "Recall": ["recall"],
            "MeanSquaredError": ["mean_squared_error", "mse", "MSE"], "RootMeanSquaredError": ["root_mean_squared_error"],
            "MeanAbsoluteError": ["mean_absolute_error", "mae", "MAE"], "MeanAbsolutePercentageError": ["mape", "MAPE"],
            "MeanSquaredLogarithmicError": ["msle", "MSLE"], "KLDivergence": ["kl_divergence"],
            "BinaryCrossentropy": ["binary_crossentropy", "bce", "BCE"],
            "CategoricalCrossentropy": ["categorical_crossentropy"],
            "SparseCategoricalCrossentropy": ["sparse_categorical_crossentropy"],
            "TruePositives": ["true_positives"], "FalseNegatives": ["false_negatives"], "LogCoshError": ["log_cosh_error"],
        ]
        for (className, names) in aliases {
            for name in [className] + names {
                let metric = try Registries.metrics.make(name)
                XCTAssertEqual(type(of: metric).kerasClassName, className, name)
            }
        }
    }

    func testEveryMetricRebuildsFromItsOwnConfig() throws {
        for className in Registries.metrics.classNames where className != "MeanMetricWrapper" {
            // Some metrics have required fields (IoU's num_classes): the contract's smallest config.
            let original = try Registries.metrics.make(className, config: MetricContractTests.entries[className]?.minimalConfig ?? [:])
            let rebuilt = try Registries.metrics.make(className, config: original.config)
            XCTAssertEqual(rebuilt.config, original.config, className)
        }
        let wrapper = try Registries.metrics.make("MeanMetricWrapper", config: ["fn": "huber", "delta": 2.0])
        XCTAssertEqual(try Registries.metrics.make("MeanMetricWrapper", config: wrapper.config).config, wrapper.config)
        let focal = Metrics.MeanMetricWrapper(loss: FocalLoss(alpha: 0.5), name: "focal")
        XCTAssertEqual(try Registries.metrics.make("MeanMetricWrapper", config: focal.config).config, focal.config)
    }

    func testAccuracyAndCrossentropyAreResolvedFromShapesAndKeepTheirName() throws {
        let cases: [(String, [Int], [Int], String)] = [
            ("accuracy", [8, 1], [8, 1], "BinaryAccuracy"),
            ("acc", [8], [8, 10], "SparseCategoricalAccuracy"),
            ("acc", [8, 1], [8, 10], "SparseCategoricalAccuracy"),
            ("accuracy", [8, 10], [8, 10], "CategoricalAccuracy"),
            ("crossentropy", [8, 1], [8, 1], "BinaryCrossentropy"),
            ("ce", [8], [8, 3], "SparseCategoricalCrossentropy"),
            ("crossentropy", [8, 3], [8, 3], "CategoricalCrossentropy"),
        ]
        for (name, trueShape, predShape, className) in cases {
            let metric = try Metrics.resolve(name, yTrueShape: trueShape, yPredShape: predShape)
            XCTAssertEqual(type(of: metric).kerasClassName, className, "\(name) \(trueShape) \(predShape)")
            XCTAssertEqual(metric.name, name)
        }
    }

    func testOtherNamesResolveThroughTheRegistries() throws {
        let mse = try Metrics.resolve("mse", yTrueShape: [4, 1], yPredShape: [4, 1])
        XCTAssertTrue(mse is Metrics.MeanSquaredError)
        XCTAssertEqual(mse.name, "mse")
        XCTAssertFalse(mse.higherIsBetter)
        let huber = try Metrics.resolve("huber", yTrueShape: [4, 1], yPredShape: [4, 1])
        XCTAssertTrue(huber is Metrics.MeanMetricWrapper)
        XCTAssertEqual(huber.name, "huber")
        XCTAssertTrue(try Metrics.resolve("auc", yTrueShape: [4], yPredShape: [4]) is Metrics.AUC)
    }

    func testAnUnknownNameListsNearMatches() {
        XCTAssertThrowsError(try Metrics.resolve("precission", yTrueShape: [2], yPredShape: [2])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown metric 'precission'"), message)
            XCTAssertTrue(message.contains("precision"), message)
        }
    }

    func testAFieldOfTheWrongTypeIsNamed() {
        XCTAssertThrowsError(try Registries.metrics.make("BinaryAccuracy", config: ["threshold": "high"])) { error in
            XCTAssertTrue("\(error)".contains("'threshold'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.metrics.make("AUC", config: ["curve": "ROCK"])) { error in
            XCTAssertTrue("\(error)".contains("'curve'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.metrics.make("Precision", config: ["thresholds": 1.5])) { error in
            XCTAssertTrue("\(error)".contains("'thresholds'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.metrics.make("TopKCategoricalAccuracy", config: ["kk": 3])) { error in
            XCTAssertTrue("\(error)".contains("'kk'"), "\(error)")
        }
    }
}
