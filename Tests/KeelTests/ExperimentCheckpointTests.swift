import Foundation
import XCTest
import Keel
import KeelTestSupport

/// `context.checkpoint`, the save and restore of hand-written training loops: everything tracked
/// comes back exactly, and a damaged or mismatched checkpoint is an error that changes nothing.
final class ExperimentCheckpointTests: XCTestCase {
    private var directory: URL!

    override func setUp() { directory = ProjectPaths.temporaryDirectory("keel-experiment-checkpoint") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func context() -> ExperimentContext {
        ExperimentContext(experimentName: "test", runDirectory: RunDirectory(path: directory.path), hyperparameters: [:], seed: 1,
                          output: { _ in })
    }

    private func trainedModel(units: Int = 3) throws -> Model {
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), Dense(units: units), Dense(units: 1, activation: "sigmoid")])
        try model.compile(optimizer: Adam(learningRate: 0.01), loss: BinaryCrossentropy())
        let (x, y) = TinyProblem.data()
        try model.fit(x, y, batchSize: 8, epochs: 1, verbose: 0, shuffle: false)
        return model
    }

    private func state(_ model: Model) -> [[Float]] {
        model.weights.map(\.value.scalars) + (model.optimizer?.variables.map { $0.value.dtype == .float32 ? $0.value.scalars : $0.value.int32Scalars.map(Float.init) } ?? [])
    }

    func testRestoreBringsBackEverythingTracked() throws {
        let log = directory.appendingPathComponent("log.csv").path
        try "epoch\r\n0\r\n".write(toFile: log, atomically: true, encoding: .utf8)
        let model = try trainedModel()
        let saving = context().checkpoint
        saving.track(model, as: "net")
        saving.track(file: log)
        XCTAssertNil(try saving.restore(), "a fresh run has nothing to restore")
        KeelRandom.generator.state = RandomState(seed: 42, counter: 7)
        try saving.save(LoopPosition(epoch: 3, step: 5, values: ["trajectory": [0.1, 1e-300, .pi]]))
        let saved = state(model)

        try "epoch\r\n0\r\n1\r\n".write(toFile: log, atomically: true, encoding: .utf8)
        KeelRandom.generator.state = RandomState(seed: 1, counter: 0)
        let fresh = try trainedModel()
        XCTAssertNotEqual(state(fresh), saved)
        let restoring = context().checkpoint
        restoring.track(fresh, as: "net")
        restoring.track(file: log)
        let position = try XCTUnwrap(try restoring.restore())
        XCTAssertEqual(position.epoch, 3)
        XCTAssertEqual(position.step, 5)
        XCTAssertEqual(try position.value("trajectory"), [0.1, 1e-300, .pi])
        XCTAssertThrowsError(try position.value("missing"))
        XCTAssertEqual(state(fresh), saved, "weights and Adam's iterations and slots")
        XCTAssertEqual(KeelRandom.generator.state, RandomState(seed: 42, counter: 7))
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "epoch\r\n0\r\n")
        XCTAssertEqual(try context().checkpoint.remainingEpochs(of: 5), 3..<5)
        XCTAssertThrowsError(try context().checkpoint.remainingEpochs(of: 2))
    }

    func testDamagedOrMismatchedCheckpointChangesNothing() throws {
        let saving = context().checkpoint
        saving.track(try trainedModel(), as: "net")
        try saving.save(LoopPosition(epoch: 1))
        let path = saving.path
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        let other = try trainedModel(units: 4)
        let before = state(other)
        let mismatched = context().checkpoint
        mismatched.track(other, as: "net")
        XCTAssertThrowsError(try mismatched.restore()) { XCTAssertTrue("\($0)".contains("resume.h5"), "\($0)") }
        XCTAssertEqual(state(other), before)

        for cut in [good.count / 2, 100, 0] {
            try good.prefix(cut).write(to: URL(fileURLWithPath: path))
            let damaged = context().checkpoint
            damaged.track(other, as: "net")
            XCTAssertThrowsError(try damaged.restore()) { XCTAssertTrue("\($0)".contains("resume.h5"), "\($0)") }
            XCTAssertEqual(state(other), before)
        }
    }

    func testFailedSaveKeepsTheLastCheckpoint() throws {
        let checkpoint = context().checkpoint
        checkpoint.track(try trainedModel())
        try checkpoint.save(LoopPosition(epoch: 1))
        let good = try Data(contentsOf: URL(fileURLWithPath: checkpoint.path))
        // A tracked "file" that is a folder cannot be read: the save fails half-way.
        checkpoint.track(file: directory.path)
        XCTAssertThrowsError(try checkpoint.save(LoopPosition(epoch: 2))) { XCTAssertTrue("\($0)".contains("previous one is kept"), "\($0)") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: checkpoint.path)), good)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("checkpoints").path)
        XCTAssertEqual(leftovers.sorted(), ["resume.h5"], "no temporary file left")
    }
}
