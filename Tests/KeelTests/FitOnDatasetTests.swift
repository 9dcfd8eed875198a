import XCTest
import Foundation
@testable import Keel

/// `fit`, `evaluate` and `predict` fed by a `Dataset`, as Keras takes a tf.data pipeline.
final class FitOnDatasetTests: XCTestCase {
    private let x = Tensor(shape: [12, 2], scalars: (0..<24).map { Float($0 % 7) / 7 - 0.4 })
    private let y = Tensor(shape: [12, 1], scalars: (0..<12).map { Float($0 % 2) })

    private func model(seed: UInt64 = 5) throws -> Model {
        KeelRandom.setSeed(seed)
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: 3, activation: "tanh"),
                                    Dense(units: 1, activation: "sigmoid")])
        try model.compile(optimizer: .optimizer(Adam(learningRate: .constant(0.05))), loss: "binary_crossentropy",
                          metrics: ["accuracy"])
        return model
    }

    private func weights(_ model: Model) -> [[Float]] { model.weights.map(\.value.scalars) }

    private func pairs() throws -> Dataset { try Dataset.fromTensorSlices(.tuple([.tensor(x), .tensor(y)])) }

    func testADatasetTrainsExactlyAsTheSameArraysDo() throws {
        let arrays = try model()
        let fromArrays = try arrays.fit(x, y, batchSize: 4, epochs: 3, verbose: 0, validationData: (x, y), shuffle: false)
        let pipeline = try model()
        let fromDataset = try pipeline.fit(try pairs().batch(4), epochs: 3, verbose: 0, validationData: try pairs().batch(4))
        XCTAssertEqual(weights(pipeline), weights(arrays))
        XCTAssertEqual(fromDataset.history["loss"], fromArrays.history["loss"])
        XCTAssertEqual(fromDataset.history["val_accuracy"], fromArrays.history["val_accuracy"])
        XCTAssertEqual(try pipeline.evaluate(try pairs().batch(5), verbose: 0), try arrays.evaluate(x, y, batchSize: 5, verbose: 0))
        XCTAssertEqual(try pipeline.predict(try pairs().batch(5), verbose: 0)[0].scalars, try arrays.predict(x, batchSize: 5).scalars)
        XCTAssertEqual(try pipeline.predict(try pairs().batch(5), steps: 2, verbose: 0)[0].shape, [10, 1])
    }

    func testStepsPerEpochContinueOneIterationAcrossEpochsUntilTheDataRunsOut() throws {
        var seen: [Float] = []
        let numbered = try Dataset.fromTensorSlices(.tuple([.tensor(x), .tensor(y)])).batch(2).map { element in
            if case .tuple(let items) = element { seen.append(try items[0].tensor("x").scalars[0]) }
            return element
        }
        let model = try model()
        let history = try model.fit(numbered, epochs: 2, verbose: 0, stepsPerEpoch: 2)
        XCTAssertEqual(history.epochs, [0, 1])
        let firsts = stride(from: 0, to: 12, by: 2).map { x.scalars[$0 * 2] }
        XCTAssertEqual(seen, Array(firsts[0..<4]), "epoch 2 continues where epoch 1 stopped")
        seen = []
        // 6 batches, 4 per epoch: the second epoch runs out after 2, and training stops.
        let short = try model.fit(numbered, epochs: 5, verbose: 0, stepsPerEpoch: 4)
        XCTAssertEqual(short.epochs, [0, 1])
        XCTAssertEqual(seen, firsts)
        XCTAssertThrowsError(try model.fit(try numbered.repeat(), epochs: 1, verbose: 0)) {
            XCTAssertTrue("\($0)".contains("stepsPerEpoch"), "\($0)")
        }
        XCTAssertEqual(try model.fit(try numbered.repeat(), epochs: 3, verbose: 0, stepsPerEpoch: 4).epochs, [0, 1, 2])
    }

    func testValidationFrequencyAndSteps() throws {
        var validationBatches = 0
        let validation = try pairs().batch(2).map { validationBatches += 1; return $0 }
        let history = try model().fit(try pairs().batch(4), epochs: 4, verbose: 0, validationData: validation,
                                      validationSteps: 2, validationFreq: 2)
        XCTAssertEqual(history.history["loss"]?.count, 4)
        XCTAssertEqual(history.history["val_loss"]?.count, 2, "validated after epochs 2 and 4")
        XCTAssertEqual(validationBatches, 4, "2 batches each time")
        XCTAssertThrowsError(try model().fit(try pairs().batch(4), validationData: validation, validationFreq: 0))
    }

    func testNamedInputsAndSampleWeightsFromElements() throws {
        let a = Input(shape: [2], name: "a"), b = Input(shape: [1], name: "b")
        let output = try Dense(units: 1, kernelInitializer: Ones(), name: "out")(try Concatenate()([a, b]))
        let model = try Model(inputs: [a, b], outputs: [output])
        try model.compile(optimizer: .optimizer(SGD(learningRate: .constant(0.01))), loss: "mse")
        let xb = Tensor(shape: [12, 1], scalars: (0..<12).map(Float.init))
        let weight = Tensor(shape: [12], scalars: (0..<12).map { $0 < 6 ? 1 : 0 })
        let named = try Dataset.fromTensorSlices(.tuple([.dict([(key: "b", value: .tensor(xb)), (key: "a", value: .tensor(x))]),
                                                          .tensor(y), .tensor(weight)])).batch(6)
        let byName = try model.evaluate(named, verbose: 0)
        let byOrder = try model.evaluate([x, xb], [y], batchSize: 6, verbose: 0, sampleWeight: weight)
        XCTAssertEqual(byName["loss"]!, byOrder["loss"]!, accuracy: 1e-6)
        let typo = try Dataset.fromTensorSlices(.tuple([.dict([(key: "a", value: .tensor(x)), (key: "bb", value: .tensor(xb))]),
                                                         .tensor(y)])).batch(6)
        XCTAssertThrowsError(try model.fit(typo, verbose: 0)) { XCTAssertTrue("\($0)".contains("unknown name 'bb'"), "\($0)") }
    }

    func testBadBatchesAreClearErrors() throws {
        let model = try model()
        // Elements not batched: each x is (2,), not (batch, 2).
        XCTAssertThrowsError(try model.fit(try pairs(), verbose: 0)) { XCTAssertTrue("\($0)".contains("dataset"), "\($0)") }
        let wide = try Dataset.fromTensorSlices(.tuple([.tensor(Tensor.zeros([4, 3])), .tensor(Tensor.zeros([4, 1]))])).batch(2)
        XCTAssertThrowsError(try model.fit(wide, verbose: 0)) { XCTAssertTrue("\($0)".contains("shape (None, 2)"), "\($0)") }
        XCTAssertThrowsError(try model.fit(try pairs().take(0).batch(2), verbose: 0)) {
            XCTAssertTrue("\($0)".contains("an empty dataset"), "\($0)")
        }
        XCTAssertThrowsError(try model.evaluate(try pairs().batch(2).repeat(), verbose: 0)) {
            XCTAssertTrue("\($0)".contains("steps"), "\($0)")
        }
    }

    func testUInt8ImagesConvertedPerBatchTrainAsFloatArraysDo() throws {
        let bytes = (0..<24).map { UInt8(($0 * 37) % 256) }
        let floats = Tensor(shape: [12, 2], scalars: bytes.map { Float($0) * (1 / 255) })
        let arrays = try model()
        try arrays.fit(floats, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false)
        let pipeline = try model()
        let stored = try Dataset.fromTensorSlices(.tuple([.bytes(try ByteArray(shape: [12, 2], bytes: bytes)), .tensor(y)]))
        try pipeline.fit(try stored.batch(4).map { $0.bytesAsFloats(scale: 1 / 255) }.prefetch(), epochs: 2, verbose: 0)
        XCTAssertEqual(weights(pipeline), weights(arrays))
    }

    /// A run stopped after some epochs and resumed with BackupAndRestore ends as the one that was
    /// never stopped: the shuffle orders (drawn from the restored generator) and, with steps per
    /// epoch, the position inside the one continuing iteration.
    func testBackupAndRestoreResumesADatasetRunExactly() throws {
        for stepsPerEpoch in [nil, 2] as [Int?] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-resume-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            func data() throws -> Dataset {
                let batches = try pairs().shuffle(bufferSize: 5).batch(3)
                return stepsPerEpoch == nil ? batches : try batches.repeat()
            }
            let whole = try model()
            KeelRandom.setSeed(99)
            try whole.fit(try data(), epochs: 4, verbose: 0, stepsPerEpoch: stepsPerEpoch)

            let first = try model()
            KeelRandom.setSeed(99)
            try first.fit(try data(), epochs: 2, verbose: 0,
                          callbacks: [BackupAndRestore(backupDirectory: directory, deleteCheckpoint: false)], stepsPerEpoch: stepsPerEpoch)
            let resumed = try model()
            KeelRandom.setSeed(12345)   // the snapshot's generator state replaces this
            try resumed.fit(try data(), epochs: 4, verbose: 0, callbacks: [BackupAndRestore(backupDirectory: directory)],
                            stepsPerEpoch: stepsPerEpoch)
            XCTAssertEqual(weights(resumed), weights(whole), "steps per epoch \(stepsPerEpoch.map(String.init) ?? "nil")")
        }
    }
}
