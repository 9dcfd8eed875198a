import XCTest
import Keel

/// The loss contract, run over every registered loss class: built from an empty config, its
/// config rebuilds it with the same keys in the same order, an unknown key is a `KeelError` naming
/// the key, and `reduction` and sample weights act on the per-sample values as Keras's do.
final class LossContractTests: XCTestCase {
    /// Three samples of three columns: soft labels that sum to one per row, and probabilities.
    static let labels = Tensor(shape: [3, 3], scalars: [0.1, 0.7, 0.2, 0.8, 0.1, 0.1, 0.3, 0.3, 0.4])
    static let predictions = Tensor(shape: [3, 3], scalars: [0.2, 0.5, 0.3, 0.6, 0.1, 0.3, 0.25, 0.25, 0.5])
    /// Losses that need inputs of another kind than `labels` and `predictions`.
    static let inputs: [String: (yTrue: Tensor, yPred: Tensor)] = [
        "SparseCategoricalCrossentropy": (Tensor(shape: [3], int32s: [1, 0, 2]), predictions),
        "CategoricalGeneralizedCrossEntropy": (Tensor(shape: [3], int32s: [1, 0, 2]), predictions),
        // Labels and unit-length embeddings.
        "Circle": (Tensor(shape: [3], int32s: [0, 0, 1]), Tensor(shape: [3, 2], scalars: [0.6, 0.8, 1, 0, 0.8, -0.6])),
        // Labels padded with the blank 0, and logits (batch, time, classes).
        "CTC": (Tensor(shape: [3, 2], int32s: [1, 2, 1, 0, 2, 2]),
                Tensor(shape: [3, 5, 3], scalars: (0..<45).map { Float(($0 &* 7) % 11) / 5 - 1 })),
    ]
    /// Config fields a loss needs for one value per sample (Dice and Tversky reduce over every
    /// axis by default; Circle needs a positive for each of the three samples, itself).
    static let configs: [String: JSONObject] = [
        "Dice": ["axis": -1],
        "Tversky": ["axis": -1],
        "Circle": ["remove_diagonal": false],
    ]
    static let sampleWeight: [Float] = [0.5, 3, 0]

    func testEveryLossIsRegisteredByType() {
        for className in Registries.losses.classNames {
            XCTAssertNotNil(Registries.losses.registeredType(named: className), className)
        }
    }

    func testEveryLossRoundTripsItsConfigInKerasKeyOrder() throws {
        for className in Registries.losses.classNames {
            let loss = try Registries.losses.make(className, config: [:])
            let rebuilt = try Registries.losses.make(className, config: loss.config)
            XCTAssertEqual(rebuilt.config, loss.config, className)
            XCTAssertEqual(Array(rebuilt.config.keys), Array(loss.config.keys), className)
            XCTAssertTrue(type(of: rebuilt) == type(of: loss), className)
        }
    }

    func testEveryLossRejectsAnUnknownKeyByName() {
        for className in Registries.losses.classNames {
            XCTAssertThrowsError(try Registries.losses.make(className, config: ["not_a_loss_field": 1])) { error in
                XCTAssertTrue(error is KeelError, "\(className): \(error)")
                XCTAssertTrue("\(error)".contains("'not_a_loss_field'"), "\(className): \(error)")
            }
        }
    }

    func testEveryLossReducesAndWeighsItsPerSampleValues() throws {
        for className in Registries.losses.classNames {
            let (yTrue, yPred) = Self.inputs[className] ?? (Self.labels, Self.predictions)
            let perSample = try loss(className, .none)(yTrue, yPred)
            XCTAssertEqual(perSample.shape, [3], className)
            let values = perSample.scalars
            XCTAssertGreaterThan(Set(values).count, 1, "\(className): the samples should give different values")
            let weights = Self.sampleWeight
            let weighted = zip(values, weights).map { $0 * $1 }
            let weightTensor = Tensor(shape: [3], scalars: weights)

            try expect(className, .sum, yTrue, yPred, nil, [values.reduce(0, +)])
            try expect(className, .sumOverBatchSize, yTrue, yPred, nil, [values.reduce(0, +) / 3])
            try expect(className, .none, yTrue, yPred, weightTensor, weighted)
            try expect(className, .sum, yTrue, yPred, weightTensor, [weighted.reduce(0, +)])
            try expect(className, .sumOverBatchSize, yTrue, yPred, weightTensor, [weighted.reduce(0, +) / 3])
            XCTAssertNotEqual(weighted.reduce(0, +), values.reduce(0, +), accuracy: 1e-4,
                              "\(className): the sample weight should change the result")
        }
    }

    /// The loss with `reduction`, given in its config when its config has the field (FocalLoss's
    /// has not: it is set on the object).
    private func loss(_ className: String, _ reduction: Reduction) throws -> Loss {
        let takesReduction = try Registries.losses.make(className).config["reduction"] != nil
        var config = Self.configs[className] ?? [:]
        if takesReduction { config["reduction"] = .string(reduction.rawValue) }
        let loss = try Registries.losses.make(className, config: config)
        if !takesReduction { loss.reduction = reduction }
        XCTAssertEqual(loss.reduction, reduction, className)
        return loss
    }

    private func expect(_ className: String, _ reduction: Reduction, _ yTrue: Tensor, _ yPred: Tensor,
                        _ sampleWeight: Tensor?, _ expected: [Float], line: UInt = #line) throws {
        let result = try loss(className, reduction)(yTrue, yPred, sampleWeight: sampleWeight).scalars
        let what = "\(className) \(reduction.rawValue)\(sampleWeight == nil ? "" : " weighted")"
        XCTAssertEqual(result.count, expected.count, what, line: line)
        for (actual, wanted) in zip(result, expected) {
            XCTAssertEqual(actual, wanted, accuracy: 1e-5 * max(1, abs(wanted)), what, line: line)
        }
    }

    // MARK: Declared checks and the base fields

    func testKerasRangesAreCheckedFromConfigsAndSwift() {
        let bad: [(String, JSONObject, String)] = [
            ("BinaryCrossentropy", ["label_smoothing": 1.5], "label_smoothing"),
            ("CategoricalCrossentropy", ["label_smoothing": -0.1], "label_smoothing"),
            ("BinaryFocalCrossentropy", ["alpha": 2.0], "alpha"),
            ("BinaryFocalCrossentropy", ["gamma": -1.0], "gamma"),
            ("CategoricalFocalCrossentropy", ["alpha": [0.5, -0.5]], "alpha"),
            ("FocalLoss", ["gamma": -2.0], "gamma"),
        ]
        for (className, config, key) in bad {
            XCTAssertThrowsError(try Registries.losses.make(className, config: config)) { error in
                XCTAssertTrue("\(error)".contains("'\(key)'"), "\(className): \(error)")
            }
        }
        XCTAssertThrowsError(try BinaryCrossentropy(labelSmoothing: 2).check()) { error in
            XCTAssertTrue("\(error)".contains("'label_smoothing'"), "\(error)")
        }
        XCTAssertNoThrow(try FocalLoss(alpha: 0.5, gamma: 0).check())
    }

    func testNameReductionAndDtypeAreTheBaseFields() throws {
        let named = try Registries.losses.make("Huber", config: ["name": "h", "reduction": "sum", "dtype": "float32", "delta": 2.0])
        XCTAssertEqual(named.config, ["name": "h", "reduction": "sum"])
        XCTAssertEqual((named as? Huber)?.delta, 2.0)
        XCTAssertEqual(try Registries.losses.make("Huber", config: ["name": nil]).name, "huber_loss")
        XCTAssertEqual(Huber(name: "custom").config["name"], "custom")
        // The seed's FocalLoss is no Keras Loss: its config has only its own fields.
        XCTAssertThrowsError(try Registries.losses.make("FocalLoss", config: ["name": "f"])) { error in
            XCTAssertTrue("\(error)".contains("'name'"), "\(error)")
        }
    }

    /// A loss defined outside Keel declares its fields and gets `name` and `reduction` written and
    /// read by the base, as a built-in does.
    func testALossDeclaredOutsideKeelWritesItsNameAndReduction() throws {
        final class ScaledError: Loss {
            override class var kerasClassName: String { "ScaledError" }
            @Hyper("scale", .positive) var scale = 2.0
            override func values(yTrue: Tensor, yPred: Tensor) -> Tensor { ((yPred - yTrue) * Float(scale)).abs().mean(axis: -1) }
        }
        let registry = Registry<Loss>(kind: "loss")
        try registry.register(ScaledError.self, origin: "test")
        let loss = try registry.make("ScaledError", config: ["scale": 3.0, "reduction": nil])
        XCTAssertEqual(loss.config, ["name": "scaled_error", "reduction": nil, "scale": 3.0])
        XCTAssertEqual(Array(loss.config.keys), ["name", "reduction", "scale"])
        XCTAssertEqual(try registry.make("ScaledError", config: loss.config).config, loss.config)
        XCTAssertThrowsError(try registry.make("ScaledError", config: ["scale": 0.0]))
    }
}
