import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Swift functions as losses and metrics in `compile`, as Keras takes Python functions: a loss
/// function is reduced like a built-in loss (sample weights included), a metric function is a
/// weighted running mean logged under its name, and a saved model names both, which loading
/// needs back (`CustomFunctions`, Keras's custom_objects).
final class FunctionLossMetricTests: XCTestCase {
    static let x = Tensor(shape: [5, 3], scalars: (0..<15).map { Float($0 % 7) / 7 - 0.3 })
    static let y = Tensor(shape: [5, 2], scalars: [0.1, 0.9, 0.5, 0.2, 0.7, 0.4, 0.3, 0.8, 0.6, 0.0])
    static let sampleWeight = Tensor(shape: [5], scalars: [1, 0.5, 2, 0, 1.5])

    /// Per-sample mean squared error, written by hand as a seed writes its `myloss`.
    static let squaredError: TargetFunction = { yTrue, yPred in (yPred - yTrue).squared().mean(axes: [-1]) }
    /// Per-sample mean absolute error, written by hand.
    static let absoluteError: TargetFunction = { yTrue, yPred in (yPred - yTrue).abs().mean(axes: [-1]) }

    private func model() throws -> Sequential {
        KeelRandom.setSeed(11)
        return try Sequential([Dense(units: 4, activation: "tanh", inputShape: [3]), Dense(units: 2)])
    }

    func testAFunctionLossTrainsAsTheBuiltInLossWithSampleWeights() throws {
        let byFunction = try model(), byClass = try model()
        try byFunction.compile(optimizer: "sgd", loss: .function(name: "my_squared_error", Self.squaredError),
                               metrics: [.function(name: "my_absolute_error", Self.absoluteError)])
        try byClass.compile(optimizer: "sgd", loss: .all(.loss(MeanSquaredError())), metrics: ["mean_absolute_error"])
        let a = try byFunction.fit([Self.x], [Self.y], batchSize: 2, epochs: 3, verbose: 0, shuffle: false,
                                   sampleWeight: Self.sampleWeight)
        let b = try byClass.fit([Self.x], [Self.y], batchSize: 2, epochs: 3, verbose: 0, shuffle: false,
                                sampleWeight: Self.sampleWeight)
        XCTAssertEqual(a.history["loss"]!, b.history["loss"]!)
        // The metric is logged under the function's name, with the built-in's values.
        XCTAssertEqual(a.history["my_absolute_error"]!, b.history["mean_absolute_error"]!)
        XCTAssertEqual(Set(a.history.keys), ["loss", "my_absolute_error"])
        let evaluatedA = try byFunction.evaluate([Self.x], [Self.y], verbose: 0, sampleWeight: Self.sampleWeight)
        let evaluatedB = try byClass.evaluate([Self.x], [Self.y], verbose: 0, sampleWeight: Self.sampleWeight)
        XCTAssertEqual(evaluatedA["loss"]!, evaluatedB["loss"]!)
        XCTAssertEqual(evaluatedA["my_absolute_error"]!, evaluatedB["mean_absolute_error"]!)
        // The values are what they say: the mean of the per-sample values (`metrics` are not
        // weighted, as in Keras), and their weighted mean among `weightedMetrics`.
        let perSample = try Self.absoluteError(Self.y, try byFunction.predict(Self.x, verbose: 0))
        XCTAssertEqual(evaluatedA["my_absolute_error"]!, Double(perSample.mean().scalar), accuracy: 1e-6)
        try byFunction.compile(optimizer: "sgd", loss: .function(name: "my_squared_error", Self.squaredError),
                               weightedMetrics: [.function(name: "my_absolute_error", Self.absoluteError)])
        let weighted = try byFunction.evaluate([Self.x], [Self.y], verbose: 0, sampleWeight: Self.sampleWeight)
        let expected = (perSample * Self.sampleWeight).sum().scalar / Self.sampleWeight.sum().scalar
        XCTAssertEqual(weighted["my_absolute_error"]!, Double(expected), accuracy: 1e-6)
    }

    /// A metric function is logged as `val_<name>` in validation too, and one function can serve
    /// every output of a multi-output model (each gets its own running mean, prefixed by the output).
    func testAFunctionMetricIsNamedLikeKerasInValidationAndPerOutput() throws {
        let m = try model()
        try m.compile(optimizer: "adam", loss: "mse", metrics: [.function(name: "rmse") { yTrue, yPred in
            (yPred - yTrue).squared().mean(axes: [-1]).sqrt()
        }])
        let history = try m.fit(Self.x, Self.y, batchSize: 5, epochs: 1, verbose: 0, validationData: (Self.x, Self.y))
        XCTAssertEqual(Set(history.history.keys), ["loss", "rmse", "val_loss", "val_rmse"])
        // A function says nothing of its direction: monitoring it needs a mode, as in Keras.
        XCTAssertThrowsError(try m.fit(Self.x, Self.y, batchSize: 5, epochs: 1, verbose: 0,
                                       callbacks: [EarlyStopping(monitor: "val_rmse")], validationData: (Self.x, Self.y))) { error in
            XCTAssertTrue("\(error)".contains("val_rmse"), "\(error)")
        }
        XCTAssertNoThrow(try m.fit(Self.x, Self.y, batchSize: 5, epochs: 1, verbose: 0,
                                   callbacks: [EarlyStopping(monitor: "val_rmse", mode: .min)], validationData: (Self.x, Self.y)))

        let input = Input(shape: [3])
        let first = try Dense(units: 2, name: "first")(input), second = try Dense(units: 2, name: "second")(input)
        let twoOutputs = try Model(inputs: [input], outputs: [first, second])
        try twoOutputs.compile(optimizer: "sgd", loss: "mse", metrics: [.function(name: "mae_fn", Self.absoluteError)])
        let results = try twoOutputs.evaluate([Self.x], [Self.y, Self.y * 2], verbose: 0)
        XCTAssertNotNil(results["first_mae_fn"], "\(results.keys.sorted())")
        XCTAssertNotNil(results["second_mae_fn"], "\(results.keys.sorted())")
        XCTAssertNotEqual(results["first_mae_fn"], results["second_mae_fn"])
    }

    /// Saved, a model compiled with functions names them (Keras writes the function's name);
    /// loading it for training without them is an error naming the function and the way to give
    /// it back, for inference it loads uncompiled; once registered it loads compiled with them.
    func testASavedModelNamesItsFunctionsAndLoadsOnceTheyAreRegistered() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-function-loss")
        defer { try? FileManager.default.removeItem(at: directory) }
        let m = try model()
        try m.compile(optimizer: "adam", loss: .function(name: "focal_loss_fixed", Self.squaredError),
                      metrics: [.function(name: "rmse_fn", Self.absoluteError), "mae"])
        try m.fit(Self.x, Self.y, batchSize: 5, epochs: 1, verbose: 0)
        let expected = try m.evaluate(Self.x, Self.y, verbose: 0)
        for file in ["model.h5", "model.keras"] {
            let path = directory.appendingPathComponent(file).path
            try m.save(to: path)
            CustomFunctions.unregister("focal_loss_fixed")
            CustomFunctions.unregister("rmse_fn")
            XCTAssertThrowsError(try Model.load(from: path)) { error in
                XCTAssertTrue(error is KeelError, "\(error)")
                XCTAssertTrue("\(error)".contains("focal_loss_fixed"), "\(error)")
                XCTAssertTrue("\(error)".contains("CustomFunctions.register"), "\(error)")
            }
            let forInference = try Model.load(from: path, for: .inference)
            XCTAssertNil(forInference.compiled)
            XCTAssertEqual(try forInference.predict(Self.x, verbose: 0).scalars, try m.predict(Self.x, verbose: 0).scalars)

            CustomFunctions.register("focal_loss_fixed", Self.squaredError)
            XCTAssertThrowsError(try Model.load(from: path)) { error in
                XCTAssertTrue("\(error)".contains("rmse_fn"), "\(error)")
            }
            CustomFunctions.register("rmse_fn", Self.absoluteError)
            let loaded = try Model.load(from: path)
            let results = try loaded.evaluate(Self.x, Self.y, verbose: 0)
            XCTAssertEqual(Set(results.keys), Set(expected.keys), file)
            for (key, value) in expected { XCTAssertEqual(results[key]!, value, accuracy: 1e-6, "\(file) \(key)") }
        }
        CustomFunctions.unregister("focal_loss_fixed")
        CustomFunctions.unregister("rmse_fn")
    }
}
