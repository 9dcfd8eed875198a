import XCTest
import Keel

/// Losses by name: Keras's class names and `keras.losses.get` aliases, clear errors for unknown
/// names and bad fields, and configs that rebuild the same loss.
final class LossRegistryTests: XCTestCase {
    func testKerasClassNamesAndAliasesBuildTheirClass() throws {
        let aliases: [String: [String]] = [
            "MeanSquaredError": ["mean_squared_error", "mse", "MSE"],
            "MeanAbsoluteError": ["mean_absolute_error", "mae", "MAE"],
            "MeanAbsolutePercentageError": ["mean_absolute_percentage_error", "mape", "MAPE"],
            "MeanSquaredLogarithmicError": ["mean_squared_logarithmic_error", "msle", "MSLE"],
            "Huber": ["huber"], "LogCosh": ["log_cosh", "logcosh"], "CosineSimilarity": ["cosine_similarity"],
            "BinaryCrossentropy": ["binary_crossentropy", "bce", "BCE"],
            "CategoricalCrossentropy": ["categorical_crossentropy"],
            "SparseCategoricalCrossentropy": ["sparse_categorical_crossentropy"],
            "BinaryFocalCrossentropy": ["binary_focal_crossentropy"],
            "CategoricalFocalCrossentropy": ["categorical_focal_crossentropy"],
            "KLDivergence": ["kl_divergence", "kld", "KLD", "kullback_leibler_divergence"],
            "Poisson": ["poisson"], "Hinge": ["hinge"], "SquaredHinge": ["squared_hinge"],
            "CategoricalHinge": ["categorical_hinge"], "FocalLoss": [],
            "Dice": ["dice"], "Tversky": ["tversky"], "Circle": ["circle"], "CTC": ["ctc"],
            "CategoricalGeneralizedCrossEntropy": ["categorical_generalized_cross_entropy"],
        ]
        for (className, names) in aliases {
            for name in [className] + names {
                let loss = try Registries.losses.make(name)
                XCTAssertEqual(type(of: loss).kerasClassName, className, name)
            }
        }
    }

    func testAnUnknownNameListsNearMatches() {
        XCTAssertThrowsError(try Registries.losses.make("mean_sqared_error")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown loss 'mean_sqared_error'"), message)
            XCTAssertTrue(message.contains("mean_squared_error"), message)
        }
    }

    func testAFieldOfTheWrongTypeIsNamed() {
        XCTAssertThrowsError(try Registries.losses.make("BinaryCrossentropy", config: ["from_logits": "yes"])) { error in
            XCTAssertTrue("\(error)".contains("'from_logits'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.losses.make("Huber", config: ["delta": "wide"])) { error in
            XCTAssertTrue("\(error)".contains("'delta'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.losses.make("mse", config: ["reduction": "average"])) { error in
            XCTAssertTrue("\(error)".contains("'reduction'"), "\(error)")
        }
    }

    func testAnArgumentTheLossDoesNotTakeIsNamedWithTheFieldsItTakes() {
        XCTAssertThrowsError(try Registries.losses.make("CategoricalCrossentropy", config: ["from_logit": true])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'from_logit'"), message)
            XCTAssertTrue(message.contains("from_logits"), message)
        }
    }

    func testEveryLossRebuildsFromItsOwnConfig() throws {
        for className in Registries.losses.classNames {
            let original = try Registries.losses.make(className)
            let rebuilt = try Registries.losses.make(className, config: original.config)
            XCTAssertEqual(rebuilt.config, original.config, className)
            XCTAssertEqual(original.config.keys, rebuilt.config.keys, className)
        }
    }

    func testSwiftInitializersGiveKerasConfigs() {
        let sparse = SparseCategoricalCrossentropy(fromLogits: true)
        XCTAssertEqual(sparse.config, ["name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
                                       "from_logits": true, "ignore_class": nil])
        XCTAssertEqual(FocalLoss(alpha: 0.75, gamma: 2).config, ["alpha": 0.75, "gamma": 2.0])
        XCTAssertEqual(Huber(delta: 2, reduction: .sum).config, ["name": "huber_loss", "reduction": "sum"])
        XCTAssertEqual(CategoricalFocalCrossentropy(alpha: [0.2, 0.8]).config["alpha"], [0.2, 0.8])
    }

    func testReductionKeepsHowItWasGiven() throws {
        XCTAssertEqual(try Registries.losses.make("mse", config: ["reduction": nil]).config["reduction"], .null)
        XCTAssertEqual(try Registries.losses.make("mse", config: ["reduction": "none"]).config["reduction"], "none")
        XCTAssertEqual(try Registries.losses.make("mse").config["reduction"], "sum_over_batch_size")
        XCTAssertEqual(try Registries.losses.make("mse").reduction, .sumOverBatchSize)
    }

    func testALossDefinedOutsideKeelIsFoundByName() throws {
        final class AbsoluteCubeError: Loss {
            override class var kerasClassName: String { "AbsoluteCubeError" }
            override func values(yTrue: Tensor, yPred: Tensor) -> Tensor { (yPred - yTrue).abs().pow(Float(3)).mean(axis: -1) }
        }
        let registry = Registry<Loss>(kind: "loss")
        try registry.register("AbsoluteCubeError", aliases: ["absolute_cube_error"], origin: "test") { _ in AbsoluteCubeError() }
        let loss = try registry.make("absolute_cube_error")
        XCTAssertEqual(registry.entry(named: "AbsoluteCubeError")?.origin, "test")
        let value = loss(Tensor(shape: [2, 1], scalars: [0, 0]), Tensor(shape: [2, 1], scalars: [1, 2]))
        XCTAssertEqual(value.scalar, 4.5, accuracy: 1e-6)
    }
}
