import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The callbacks that write files: CSVLogger, ModelCheckpoint and BackupAndRestore, and the
/// registry that builds callbacks from Keras arguments.
final class CallbackFileTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = ProjectPaths.temporaryDirectory("keel-callback-files")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))), as: UTF8.self)
    }

    /// Replays epoch logs through a callback attached to `model`, as fit would.
    private func replay(_ callback: Callback, model: Model, _ epochs: [[String: Double]]) throws {
        let list = CallbackList([callback], model: model, params: TrainingParams(epochs: epochs.count, steps: 1, verbose: 0))
        try list.onTrainBegin(Logs())
        for (epoch, values) in epochs.enumerated() {
            try list.onEpochBegin(epoch, Logs())
            try list.onEpochEnd(epoch, Logs(values))
        }
        try list.onTrainEnd(Logs(epochs.last ?? [:]))
    }

    func testCSVLoggerWritesNAAndPythonNumbersWithItsSeparator() throws {
        let logger = CSVLogger(filename: path("log.csv"), separator: ";")
        try replay(logger, model: Model(name: "csv"), [["loss": 0.5, "accuracy": .nan], ["loss": .infinity, "extra": 1]])
        XCTAssertEqual(try read("log.csv"),
                       "epoch;accuracy;loss;val_accuracy;val_loss\r\n0;nan;0.5;NA;NA\r\n1;NA;inf;NA;NA\r\n")
    }

    func testCSVLoggerAppendsWithoutASecondHeaderAndTruncatesOtherwise() throws {
        let model = Model(name: "csv")
        try replay(CSVLogger(filename: path("log.csv")), model: model, [["loss": 1]])
        try replay(CSVLogger(filename: path("log.csv"), append: true), model: model, [["loss": 0.5]])
        XCTAssertEqual(try read("log.csv"), "epoch,loss,val_loss\r\n0,1.0,NA\r\n0,0.5,NA\r\n")
        try replay(CSVLogger(filename: path("log.csv")), model: model, [["loss": 0.25]])
        XCTAssertEqual(try read("log.csv"), "epoch,loss,val_loss\r\n0,0.25,NA\r\n")
        // Append mode on a file that does not exist yet starts it with a header.
        try replay(CSVLogger(filename: path("new.csv"), append: true), model: model, [["loss": 2]])
        XCTAssertEqual(try read("new.csv"), "epoch,loss,val_loss\r\n0,2.0,NA\r\n")
    }

    func testCheckpointBestOnlyDecidesAndSaysWhat() throws {
        var saved: [String] = []
        let checkpoint = ModelCheckpoint(filepath: path("best.{epoch:02d}-{val_loss:.3f}.keras"), verbose: 1, saveBestOnly: true)
        checkpoint.saver = { _, path in saved.append(path) }
        var messages: [String] = []
        checkpoint.output = { messages.append($0) }
        try replay(checkpoint, model: try TinyProblem.model(), [["val_loss": 0.5], ["val_loss": 0.6], ["val_loss": 0.25]])
        XCTAssertEqual(saved, [path("best.01-0.500.keras"), path("best.03-0.250.keras")])
        XCTAssertEqual(messages, [
            "\nEpoch 1: val_loss improved from None to 0.50000, saving model to \(path("best.01-0.500.keras"))",
            "\nEpoch 2: val_loss did not improve from 0.50000",
            "\nEpoch 3: val_loss improved from 0.50000 to 0.25000, saving model to \(path("best.03-0.250.keras"))",
        ])
    }

    func testCheckpointEveryNBatchesNamesEpochAndBatch() throws {
        let model = try TinyProblem.model()
        let (x, y) = TinyProblem.data()
        let checkpoint = ModelCheckpoint(filepath: path("ckpt/{epoch:02d}-{batch:03d}.weights.h5"), saveWeightsOnly: true,
                                             saveFrequency: .batches(3))
        try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [checkpoint], shuffle: false)
        // 4 batches per epoch: the 3rd batch of epoch 1, then 3 more ending on the 2nd of epoch 2.
        XCTAssertEqual(checkpoint.savedPaths, [path("ckpt/01-003.weights.h5"), path("ckpt/02-002.weights.h5")])
        for file in checkpoint.savedPaths { XCTAssertTrue(FileManager.default.fileExists(atPath: file), file) }
        let restored = try TinyProblem.model()
        try restored.loadWeights(from: checkpoint.savedPaths[1])
        XCTAssertNotEqual(restored.weights.flatMap { $0.value.scalars }, [])
    }

    /// Keras formats the template and opens the result as Python's `open` does: a relative template
    /// writes below the working directory, its folders created, and the paths written are the
    /// formatted template itself.
    func testCheckpointPathsAreRelativeToTheWorkingDirectoryWithTheTemplatesFolders() throws {
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let checkpoint = ModelCheckpoint(filepath: "runs/{epoch:02d}/w-{val_loss:.1f}.weights.h5", saveWeightsOnly: true)
        try replay(checkpoint, model: try TinyProblem.model(), [["val_loss": 0.5], ["val_loss": 0.25]])
        XCTAssertEqual(checkpoint.savedPaths, ["runs/01/w-0.5.weights.h5", "runs/02/w-0.2.weights.h5"])
        for file in checkpoint.savedPaths {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path(file)), "\(file) below the working directory")
        }
    }

    func testCheckpointRejectsPathsKerasRejects() throws {
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "model.weights", saveWeightsOnly: true).check())
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "model.ckpt").check())
        XCTAssertThrowsError(try ModelCheckpoint(filepath: "model.{epoch.h5").check())
        XCTAssertNoThrow(try ModelCheckpoint(filepath: "model.weights.h5", saveWeightsOnly: true).check())
        XCTAssertThrowsError(try Registries.callbacks.make("ModelCheckpoint", config: ["filepath": "model.ckpt"])) { error in
            XCTAssertTrue("\(error)".contains(".keras or .h5"), "\(error)")
        }
        // fit checks a callback made in Swift before the first epoch.
        let (x, y) = TinyProblem.data()
        XCTAssertThrowsError(try TinyProblem.model().fit(x, y, epochs: 1, verbose: 0,
                                                         callbacks: [ModelCheckpoint(filepath: "model.ckpt")])) { error in
            XCTAssertTrue("\(error)".contains("model.ckpt"), "\(error)")
        }
    }

    func testBackupAndRestoreKeepsTheStateAndReadsItBack() throws {
        let (x, y) = TinyProblem.data()
        let model = try TinyProblem.model()
        let backupDirectory = path("backup")
        let backup = BackupAndRestore(backupDirectory: backupDirectory, doubleCheckpoint: true, deleteCheckpoint: false)
        try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [backup], shuffle: false)
        let files = try FileManager.default.contentsOfDirectory(atPath: backupDirectory).sorted()
        XCTAssertEqual(files, ["latest.weights.h5", "latest.weights.h5.bkp", "training_metadata.json", "training_metadata.json.bkp"])
        XCTAssertEqual(try read("backup/training_metadata.json"), #"{"epoch": 2, "batch": 0}"#)
        XCTAssertEqual(try read("backup/training_metadata.json.bkp"), #"{"epoch": 1, "batch": 0}"#)

        // A new run restores the weights and learns where to continue.
        let trained = model.weights.map(\.value.scalars)
        let resumed = try TinyProblem.model()
        let restorer = BackupAndRestore(backupDirectory: backupDirectory)
        restorer.setModel(resumed)
        try restorer.onTrainBegin(logs: Logs())
        XCTAssertEqual(restorer.restoredEpoch, 2)
        XCTAssertEqual(resumed.weights.map(\.value.scalars), trained)
        try restorer.onTrainEnd(logs: Logs())
        XCTAssertFalse(FileManager.default.fileExists(atPath: backupDirectory), "deleted when training completes")
    }

    /// A resumed fit's history chart covers the epochs before the interruption too.
    func testLossHistoryIsPartOfTheBackup() throws {
        let (x, y) = TinyProblem.data()
        let model = try TinyProblem.model()
        let backupDirectory = path("backup")
        let first = LossHistory(directory: path("plots"), metrics: ["loss"], frequency: .trainEnd)
        try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0,
                      callbacks: [first, BackupAndRestore(backupDirectory: backupDirectory, deleteCheckpoint: false)], shuffle: false)
        let resumedHistory = LossHistory(directory: path("plots"), metrics: ["loss"], frequency: .trainEnd)
        try model.fit(x, y, batchSize: 8, epochs: 3, verbose: 0,
                      callbacks: [resumedHistory, BackupAndRestore(backupDirectory: backupDirectory)], shuffle: false)
        XCTAssertEqual(resumedHistory.epochValues["loss"]?.map(\.epoch), [0, 1, 2])
        XCTAssertEqual(resumedHistory.epochValues["loss"]?.prefix(2).map(\.value), first.epochValues["loss"]?.map(\.value))
        XCTAssertEqual(resumedHistory.batchValues["loss"]?.count, 3 * first.batchValues["loss"]!.count / 2)
    }

    func testRegistryBuildsEveryBuiltInFromKerasArguments() throws {
        let arguments: [String: JSONObject] = [
            "EarlyStopping": ["monitor": "val_accuracy", "mode": "max", "patience": 3],
            "ReduceLROnPlateau": ["factor": 0.5, "min_lr": 1e-5],
            "ModelCheckpoint": ["filepath": .string(path("m.{epoch:02d}.h5")), "save_freq": 10],
            "BackupAndRestore": ["backup_dir": .string(path("b"))],
            "CSVLogger": ["filename": .string(path("log.csv")), "separator": ";", "append": true],
            "TensorBoard": ["log_dir": .string(path("tb")), "histogram_freq": 1, "write_images": true, "update_freq": "batch",
                            "profile_batch": [2, 4], "embeddings_freq": 1, "embeddings_metadata": "meta.tsv"],
            "LearningRateScheduler": ["schedule": ["class_name": "ExponentialDecay",
                                                   "config": ["initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5]]],
            "TerminateOnNaN": ["raise_error": false],
            "LambdaCallback": [:],
            "History": [:],
            "ProgbarLogger": [:],
            "LossHistory": ["directory": .string(path("plots")), "metrics": ["loss"]],
            "BroadcastGlobalVariables": ["root_rank": 0],
            "MetricAverage": [:],
            "LearningRateWarmup": ["initial_lr": 0.4, "warmup_epochs": 2, "steps_per_epoch": 10, "verbose": 1],
        ]
        XCTAssertEqual(Set(Registries.callbacks.classNames), Set(arguments.keys))
        for (name, config) in arguments {
            let callback = try Registries.callbacks.make(name, config: config)
            XCTAssertEqual(type(of: callback).kerasClassName, name)
        }
        let stopper = try XCTUnwrap(try Registries.callbacks.make("EarlyStopping", config: arguments["EarlyStopping"]!) as? EarlyStopping)
        XCTAssertEqual(stopper.mode, .max)
        XCTAssertEqual(stopper.patience, 3)
    }

    func testRegistryErrorsNameTheField() {
        func message(_ name: String, _ config: JSONObject) -> String {
            do {
                _ = try Registries.callbacks.make(name, config: config)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message("EarlyStopping", ["patients": 2]).contains("'patience'"))
        XCTAssertTrue(message("ReduceLROnPlateau", ["factor": 1.5]).contains("below 1.0"))
        XCTAssertTrue(message("EarlyStopping", ["mode": "maximum"]).contains("'mode'"))
        XCTAssertTrue(message("LambdaCallback", ["on_epoch_end": "print"]).contains("'on_epoch_end'"))
        XCTAssertTrue(message("ModelCheckpoint", ["filepath": "x.h5", "save_freq": "batch"]).contains("save_freq"))
        XCTAssertTrue(message("EarlyStoping", [:]).contains("EarlyStopping"))
    }
}
