import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// The seeds' programs, written in Keel with the same shape: the ticket classifier (three inputs,
/// two outputs) and its feature-extraction variant, a subclassed model, and a layer that adds a
/// loss from `call`.
final class SeedProgramTests: XCTestCase {
    private func ticketModel() throws -> Model {
        let title = Input(shape: [20], name: "title"), body = Input(shape: [20], name: "text_body")
        let tags = Input(shape: [5], name: "tags")
        let features = try Concatenate()([title, body, tags])
        let hidden = try Dense(units: 8, activation: "relu")(features)
        let priority = try Dense(units: 1, activation: "sigmoid", name: "priority")(hidden)
        let department = try Dense(units: 4, activation: "softmax", name: "department")(hidden)
        return try Model(inputs: [title, body, tags], outputs: [priority, department])
    }

    private func ticketData(_ n: Int) -> ([Tensor], [Tensor]) {
        let random = RandomGenerator(seed: 3)
        let x = [random.bernoulli([n, 20], probability: 0.2), random.bernoulli([n, 20], probability: 0.2),
                 random.bernoulli([n, 5], probability: 0.3)]
        let labels = Tensor(shape: [n], int32s: (0..<n).map { Int32($0 % 4) })
        return (x, [random.uniform([n, 1]), labels.oneHot(depth: 4)])
    }

    func testTicketClassifierTrainsEvaluatesAndPredictsWithTwoOutputs() throws {
        let model = try ticketModel()
        try model.compile(optimizer: "rmsprop", loss: .perOutput([.name("mean_squared_error"), .name("categorical_crossentropy")]),
                          metrics: .perOutput([["mean_absolute_error"], ["accuracy"]]))
        let (x, y) = ticketData(32)
        let history = try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0)
        XCTAssertEqual(Set(history.history.keys), ["loss", "priority_loss", "department_loss",
                                                   "priority_mean_absolute_error", "department_accuracy"])
        let results = try model.evaluate(x, y, verbose: 0)
        XCTAssertEqual(results["loss"]!, results["priority_loss"]! + results["department_loss"]!, accuracy: 1e-4)
        let predictions = try model.predict(x, verbose: 0)
        XCTAssertEqual(predictions.map(\.shape), [[32, 1], [32, 4]])
        // Inputs by name, as the seed passes a dictionary.
        let named = try model.fit(["title": x[0], "text_body": x[1], "tags": x[2]], ["priority": y[0], "department": y[1]],
                                  batchSize: 16, epochs: 1, verbose: 0)
        XCTAssertEqual(named.history["loss"]?.count, 1)
    }

    func testFeatureExtractionFromLayerFourSharesTheTrainedLayers() throws {
        let model = try ticketModel()
        XCTAssertEqual(model.layers.map { type(of: $0).kerasClassName },
                       ["InputLayer", "InputLayer", "InputLayer", "Concatenate", "Dense", "Dense", "Dense"])
        let hidden = try model.layers[4].output
        let difficulty = try Dense(units: 3, activation: "softmax", name: "difficulty")(hidden)
        let extended = try Model(inputs: model.inputs, outputs: model.outputs + [difficulty])
        XCTAssertEqual(extended.outputNames, ["priority", "department", "difficulty"])
        let shared = Set(model.weights.map { ObjectIdentifier($0) })
        XCTAssertTrue(extended.weights.filter { shared.contains(ObjectIdentifier($0)) }.count == model.weights.count)
        let (x, _) = ticketData(4)
        let before = try model.predict(x, verbose: 0)
        let after = try extended.predict(x, verbose: 0)
        XCTAssertEqual(after.count, 3)
        XCTAssertEqual(after[0].scalars, before[0].scalars, "the shared layers compute the same outputs")
    }

    /// The seed's subclassed model: layers kept in properties, `call` written by hand.
    final class CustomerTicketModel: Model {
        let concatenate = Concatenate()
        let mixing = Dense(units: 8, activation: "relu")
        let priorityScorer = Dense(units: 1, activation: "sigmoid")

        convenience init() { self.init(name: "customer_ticket_model") }

        override func call(_ inputs: [Tensor], training: Bool) -> Tensor {
            priorityScorer(mixing(concatenate(inputs), training: training), training: training)
        }
    }

    func testSubclassedModelTracksItsLayersAndTrains() throws {
        let model = CustomerTicketModel()
        let (x, y) = ticketData(16)
        _ = model.forward(x)
        XCTAssertEqual(model.layers.count, 3)
        XCTAssertEqual(model.trainableWeights.count, 4)
        try model.compile(optimizer: Adam(learningRate: 0.01), loss: MeanSquaredError())
        let history = try model.fit(x, [y[0]], batchSize: 8, epochs: 5, verbose: 0)
        let losses = try XCTUnwrap(history.history["loss"])
        XCTAssertLessThan(losses.last!, losses.first!)
    }

    /// Listing 7.14 whole: the subclassed ticket classifier returns priority and department.
    final class TwoOutputTicketModel: Model {
        let concatenate = Concatenate()
        let mixing = Dense(units: 8, activation: "relu")
        let priorityScorer = Dense(units: 1, activation: "sigmoid")
        let departmentClassifier = Dense(units: 4, activation: "softmax")

        convenience init() { self.init(name: "customer_ticket_model") }

        override func callOutputs(_ inputs: [Tensor], arguments: CallArguments, training: Bool) -> [Tensor] {
            let features = mixing(concatenate(inputs), training: training)
            return [priorityScorer(features, training: training), departmentClassifier(features, training: training)]
        }
    }

    /// Keras names a subclassed model's per-output losses after the losses and leaves its metrics
    /// unprefixed (its outputs have no names); the log names and `evaluate`'s order are Keras's.
    func testSubclassedModelWithTwoOutputsLogsAsKeras() throws {
        let script = """
        import os, json
        os.environ["KERAS_BACKEND"] = "jax"
        import numpy as np, keras
        from keras import layers
        class CustomerTicketModel(keras.Model):
            def __init__(self):
                super().__init__()
                self.concat_layer = layers.Concatenate()
                self.mixing_layer = layers.Dense(8, activation="relu")
                self.priority_scorer = layers.Dense(1, activation="sigmoid")
                self.department_classifier = layers.Dense(4, activation="softmax")
            def call(self, inputs):
                features = self.mixing_layer(self.concat_layer([inputs["title"], inputs["text_body"], inputs["tags"]]))
                return self.priority_scorer(features), self.department_classifier(features)
        rng = np.random.default_rng(0)
        x = {"title": rng.random((16, 20)), "text_body": rng.random((16, 20)), "tags": rng.random((16, 5))}
        y = [rng.random((16, 1)), rng.integers(0, 4, (16, 1))]
        model = CustomerTicketModel()
        model.compile(optimizer="adam", loss=["mean_squared_error", "sparse_categorical_crossentropy"],
                      metrics=[["mean_absolute_error"], ["accuracy"]])
        history = model.fit(x, y, epochs=1, verbose=0)
        named = model.evaluate(x, y, verbose=0, return_dict=True)
        listed = model.evaluate(x, y, verbose=0)
        print(json.dumps({"history": sorted(history.history), "order": [next(k for k, v in named.items() if v == value) for value in listed]}))
        """
        let run = try runPython(script)
        XCTAssertEqual(run.status, 0, run.stderr)
        let keras = try XCTUnwrap(JSONValue.parse(run.stdout.split(separator: "\n").last.map(String.init) ?? "").objectValue)
        let kerasHistory = try XCTUnwrap(keras["history"]?.arrayValue).compactMap(\.stringValue)
        let kerasOrder = try XCTUnwrap(keras["order"]?.arrayValue).compactMap(\.stringValue)

        let model = TwoOutputTicketModel()
        try model.compile(optimizer: "adam", loss: .perOutput([.name("mean_squared_error"), .name("sparse_categorical_crossentropy")]),
                          metrics: .perOutput([["mean_absolute_error"], ["accuracy"]]))
        let (x, y) = ticketData(16)
        let departments = Tensor(shape: [16, 1], int32s: (0..<16).map { Int32($0 % 4) })
        let history = try model.fit(x, [y[0], departments], batchSize: 8, epochs: 1, verbose: 0)
        XCTAssertEqual(history.history.keys.sorted(), kerasHistory)
        XCTAssertEqual(model.metricsNames, kerasOrder)
        let results = try model.evaluate(x, [y[0], departments], verbose: 0)
        XCTAssertEqual(results["loss"]!, results["mean_squared_error_loss"]! + results["sparse_categorical_crossentropy_loss"]!,
                       accuracy: 1e-4)
        XCTAssertEqual(try model.predict(x, verbose: 0).map(\.shape), [[16, 1], [16, 4]])
    }

    /// Compiled for one output, the two-output model stops `fit` with an error saying so, as do
    /// targets that do not match the outputs.
    func testSubclassedModelReturningMoreOutputsThanCompiledIsAnError() throws {
        let (x, y) = ticketData(8)
        let oneLoss = TwoOutputTicketModel()
        try oneLoss.compile(optimizer: "adam", loss: .all(.name("mean_squared_error")))
        XCTAssertThrowsError(try oneLoss.fit(x, [y[0]], batchSize: 4, epochs: 1, verbose: 0)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("customer_ticket_model") && message.contains("1 output") && message.contains("found 2"), message)
        }
        let twoLosses = TwoOutputTicketModel()
        try twoLosses.compile(optimizer: "adam", loss: .perOutput([.name("mean_squared_error"), .name("mean_squared_error")]))
        XCTAssertThrowsError(try twoLosses.fit(x, [y[0]], batchSize: 4, epochs: 1, verbose: 0)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("2 target arrays") && message.contains("found 1"), message)
        }
    }

    /// The seed's ActivityRegularizationLayer (LayerLossesTests) inside a model: its loss joins the training loss.
    func testLayerLossesJoinTheTrainingLoss() throws {
        let input = Input(shape: [4])
        let hidden = try LayerLossesTests.ActivityRegularizationLayer(rate: 0.5)(Dense(units: 3, activation: "relu")(input))
        let model = try Model(inputs: input, outputs: Dense(units: 1)(hidden))
        let x = Tensor(repeating: 1, shape: [8, 4]), y = Tensor.zeros([8, 1])
        let prediction = model.forward([x])[0]
        XCTAssertEqual(model.losses.count, 1, "the layer's add_loss is collected by the model")
        try model.compile(optimizer: SGD(learningRate: 0), loss: MeanSquaredError())
        let results = try model.evaluate(x, y, verbose: 0)
        let compiledOnly = Double(MeanSquaredError()(y, prediction).scalar)
        XCTAssertEqual(results["loss"]!, compiledOnly + Double(model.losses[0].scalar), accuracy: 1e-4)
    }
}
