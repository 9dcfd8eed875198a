import Foundation
import XCTest
import Keel
import KeelTestSupport

/// A tiny learnable problem for callback tests: 2-D points labelled by the sign of x0 + x1, and
/// a logistic regression to fit them.
enum TinyProblem {
    static func data(count: Int = 32) -> (x: Tensor, y: Tensor) {
        // A fixed scatter (no RNG state shared with other tests).
        let points = (0..<count).map { i -> (Float, Float) in
            (Float(sin(Double(i) * 1.7)), Float(cos(Double(i) * 2.3)))
        }
        let x = Tensor(shape: [count, 2], scalars: points.flatMap { [$0.0, $0.1] })
        let y = Tensor(shape: [count, 1], scalars: points.map { $0.0 + $0.1 > 0 ? 1 : 0 })
        return (x, y)
    }

    static func model(learningRate: Float = 0.1) throws -> Model {
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 1, activation: "sigmoid")])
        try model.compile(optimizer: SGD(learningRate: .constant(learningRate)), loss: BinaryCrossentropy(), metrics: ["accuracy"])
        return model
    }
}

/// What each built-in callback does inside a real `fit`, and the errors Keras raises.
final class CallbackBehaviourTests: XCTestCase {
    private let (x, y) = TinyProblem.data()

    func testEarlyStoppingEndsFitWhenNothingImproves() throws {
        let model = try TinyProblem.model()
        // No epoch can beat the first by 10: training stops after epoch 1 (patience 1).
        let stopper = EarlyStopping(monitor: "loss", minDelta: 10, patience: 1, verbose: 1)
        var messages: [String] = []
        stopper.output = { messages.append($0) }
        let history = try model.fit(x, y, batchSize: 8, epochs: 10, verbose: 0, callbacks: [stopper], shuffle: false)
        XCTAssertEqual(history.epochs, [0, 1])
        XCTAssertEqual(stopper.stoppedEpoch, 1)
        XCTAssertEqual(messages, ["Epoch 2: early stopping"])
    }

    func testEarlyStoppingRestoresTheBestWeightsAtTheEnd() throws {
        let model = try TinyProblem.model()
        var weightsAfterEpoch: [[Float]] = []
        let recorder = LambdaCallback(onEpochEnd: { _, _ in weightsAfterEpoch.append(model.weights.flatMap { $0.value.scalars }) })
        // "max" on a falling loss: epoch 0 stays the best, and its weights come back at the end.
        let stopper = EarlyStopping(monitor: "loss", patience: 5, mode: .max, restoreBestWeights: true)
        try model.fit(x, y, batchSize: 8, epochs: 3, verbose: 0, callbacks: [recorder, stopper], shuffle: false)
        XCTAssertEqual(stopper.bestEpoch, 0)
        XCTAssertEqual(model.weights.flatMap { $0.value.scalars }, weightsAfterEpoch[0])
        XCTAssertNotEqual(weightsAfterEpoch[0], weightsAfterEpoch[2])
    }

    func testReduceLROnPlateauLowersTheOptimizerRate() throws {
        let model = try TinyProblem.model(learningRate: 0.1)
        let reducer = ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, verbose: 1, minDelta: 10)
        var messages: [String] = []
        reducer.output = { messages.append($0) }
        let history = try model.fit(x, y, batchSize: 8, epochs: 3, verbose: 0, callbacks: [reducer], shuffle: false)
        // The rate is logged before the epoch's decision: halved after epochs 2 and 3.
        XCTAssertEqual(history.history["learning_rate"], [0.1, 0.1, 0.05].map { Double(Float($0)) })
        XCTAssertEqual(model.optimizer?.currentLearningRate, Float(0.025))
        XCTAssertEqual(messages.first, "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.")
    }

    func testLearningRateSchedulerSetsTheRateEachEpoch() throws {
        let model = try TinyProblem.model(learningRate: 0.1)
        var seen: [Float] = []
        let scheduler = LearningRateScheduler { epoch, rate in
            seen.append(rate)
            return epoch < 1 ? rate : rate / 2
        }
        let history = try model.fit(x, y, batchSize: 8, epochs: 3, verbose: 0, callbacks: [scheduler], shuffle: false)
        XCTAssertEqual(seen, [0.1, 0.1, 0.05])
        XCTAssertEqual(history.history["learning_rate"], [0.1, 0.05, 0.025].map { Double(Float($0)) })
    }

    func testTerminateOnNaNStopsAtTheFirstBadBatch() throws {
        let model = try TinyProblem.model()
        var poisoned = x.scalars
        poisoned[0] = .nan
        let terminator = TerminateOnNaN()
        var messages: [String] = []
        terminator.output = { messages.append($0) }
        var batches = 0
        let counter = LambdaCallback(onTrainBatchEnd: { _, _ in batches += 1 })
        let history = try model.fit(Tensor(shape: x.shape, scalars: poisoned), y, batchSize: 8, epochs: 3, verbose: 0,
                                    callbacks: [terminator, counter], shuffle: false)
        XCTAssertEqual(messages, ["Batch 0: Invalid loss, terminating training"])
        XCTAssertEqual(batches, 1)
        XCTAssertEqual(history.epochs, [0])
    }

    func testLambdaCallbackSeesTheHooksInKerasOrder() throws {
        let model = try TinyProblem.model()
        var events: [String] = []
        let lambda = LambdaCallback(
            onEpochBegin: { epoch, _ in events.append("epoch_begin \(epoch)") },
            onEpochEnd: { epoch, logs in events.append("epoch_end \(epoch) \(logs.keys.joined(separator: ","))") },
            onTrainBegin: { _ in events.append("train_begin") },
            onTrainEnd: { _ in events.append("train_end") },
            onBatchBegin: { batch, _ in events.append("batch_begin \(batch)") },
            onBatchEnd: { batch, logs in events.append("batch_end \(batch) \(logs.keys.joined(separator: ","))") },
            onTestBegin: { _ in events.append("test_begin") },
            onTestEnd: { _ in events.append("test_end") })
        let (vx, vy) = TinyProblem.data(count: 8)
        let (tx, ty) = TinyProblem.data(count: 16)
        try model.fit(tx, ty, batchSize: 8, epochs: 2, verbose: 0, callbacks: [lambda],
                      validationData: (vx, vy), shuffle: false)
        var expected = ["train_begin"]
        for epoch in 0..<2 {
            expected += ["epoch_begin \(epoch)", "batch_begin 0", "batch_end 0 accuracy,loss", "batch_begin 1",
                         "batch_end 1 accuracy,loss", "test_begin", "test_end",
                         "epoch_end \(epoch) accuracy,loss,val_accuracy,val_loss"]
        }
        XCTAssertEqual(events, expected + ["train_end"])
    }

    func testAutoModeAsksTheModelWhichWayIsBetter() throws {
        let model = try TinyProblem.model()
        func direction(_ monitor: String) throws -> Bool? {
            let callback = EarlyStopping(monitor: monitor)
            callback.setModel(model)
            try callback.resolveDirection()
            return callback.lowerIsBetter
        }
        // Before any batch the metrics are not built: the names given to compile decide.
        XCTAssertEqual(try direction("val_loss"), true)
        XCTAssertEqual(try direction("val_accuracy"), false)
        XCTAssertThrowsError(try direction("val_auc")) { error in
            XCTAssertTrue("\(error)".contains("mode 'min' or 'max'"), "\(error)")
        }
        try model.fit(x, y, batchSize: 8, epochs: 1, verbose: 0)
        XCTAssertEqual(try direction("accuracy"), false)
        XCTAssertEqual(try direction("loss"), true)
    }
}
