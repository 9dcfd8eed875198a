import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Every case of callbacks.json: the callback is built from its Keras class name and init_args
/// through the callback registry, driven as the fixture generator drove Keras (a compiled
/// Input(2) → Dense(1) model, SGD, mse, ["accuracy"]; on_train_begin; per epoch on_epoch_begin
/// and on_epoch_end with the recorded logs, stopping once stop_training is set; on_train_end),
/// and every field of `result` is compared.
final class CallbackParityTests: XCTestCase {
    func testEveryCallbackCaseMatchesKeras() throws {
        let cases = try Fixtures.cases("callbacks.json")
        var counts: [String: Int] = [:]
        for testCase in cases {
            let id = testCase["id"]?.stringValue ?? "<no id>"
            let className = testCase["class_name"]?.stringValue ?? "<no class_name>"
            let run = try CallbackCase(testCase, id: id)
            switch className {
            case "EarlyStopping": try checkEarlyStopping(run)
            case "ReduceLROnPlateau": try checkReduceLROnPlateau(run)
            case "ModelCheckpoint": try checkModelCheckpoint(run)
            case "ReduceLROnPlateau+EarlyStopping": try checkCombinedFit(run)
            default:
                XCTFail("\(id): class_name '\(className)' has no parity driver; every fixture case must be checked")
                continue
            }
            counts[className, default: 0] += 1
        }
        let summary = counts.keys.sorted().map { "\($0): \(counts[$0]!)" }.joined(separator: ", ")
        print("callbacks.json: \(counts.values.reduce(0, +)) of \(cases.count) cases checked (\(summary))")
        XCTAssertEqual(counts.values.reduce(0, +), cases.count)
    }

    // MARK: Per class

    private func checkEarlyStopping(_ run: CallbackCase) throws {
        let callback = try XCTUnwrap(try Registries.callbacks.make("EarlyStopping", config: run.initArgs) as? EarlyStopping)
        let model = try ParityModel.make(learningRate: 0.01)
        var perEpoch: [[String: JSONValue]] = []
        let trace = try run.drive([callback], model: model) { epoch, _ in
            perEpoch.append(["epoch": .int(epoch), "stop_training": .bool(model.stopTraining), "wait": .int(callback.wait),
                             "best": callback.best.map { .double($0) } ?? .null])
        }
        let result = run.result
        run.expectKeys(["epochs_run", "stopped_at_epoch", "best_epoch", "best", "weights_from_epoch", "per_epoch"])
        run.expectEqual(.int(trace.epochsRun), result["epochs_run"], "epochs_run")
        run.expectEqual(trace.stoppedAt.map { .int($0) } ?? .null, result["stopped_at_epoch"], "stopped_at_epoch")
        run.expectEqual(.int(callback.bestEpoch), result["best_epoch"], "best_epoch")
        run.expectEqual(callback.best.map { .double($0) } ?? .null, result["best"], "best")
        run.expectEqual(.int(ParityModel.kernelEpoch(model)), result["weights_from_epoch"], "weights_from_epoch")
        run.expectRows(perEpoch, result["per_epoch"], "per_epoch")
    }

    private func checkReduceLROnPlateau(_ run: CallbackCase) throws {
        let callback = try XCTUnwrap(try Registries.callbacks.make("ReduceLROnPlateau", config: run.initArgs) as? ReduceLROnPlateau)
        let initial = try XCTUnwrap(run.result["initial_learning_rate"]?.doubleValue, "\(run.id): initial_learning_rate")
        let model = try ParityModel.make(learningRate: Float(initial))
        var perEpoch: [[String: JSONValue]] = []
        _ = try run.drive([callback], model: model) { epoch, logs in
            perEpoch.append(["epoch": .int(epoch), "logged_learning_rate": logs["learning_rate"].map { .double($0) } ?? .null,
                             "learning_rate_after": .double(Double(model.optimizer!.currentLearningRate)),
                             "wait": .int(callback.wait), "cooldown_counter": .int(callback.cooldownCounter),
                             "best": callback.best.map { .double($0) } ?? .null])
        }
        run.expectKeys(["initial_learning_rate", "per_epoch"])
        run.expectRows(perEpoch, run.result["per_epoch"], "per_epoch")
    }

    /// Keras ran in the checkpoint directory: `filepath`, the paths written (folders of the
    /// template included) and the files at the end are all relative to it, so Keel runs there too
    /// and its paths are compared as written.
    private func checkModelCheckpoint(_ run: CallbackCase) throws {
        let directory = ProjectPaths.temporaryDirectory("keel-checkpoint-parity")
        defer { try? FileManager.default.removeItem(at: directory) }
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path), "\(run.id): cd \(directory.path)")
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let callback = try XCTUnwrap(try Registries.callbacks.make("ModelCheckpoint", config: run.initArgs) as? ModelCheckpoint)
        // The real saving API writes the files; a failure is reported here instead of stopping the run.
        let standard = ModelCheckpoint.standardSaver(weightsOnly: callback.saveWeightsOnly)
        callback.saver = { model, path in
            do { try standard(model, path) } catch { XCTFail("\(run.id): saving \(path) failed: \(error)") }
        }
        let model = try ParityModel.make(learningRate: 0.01)
        var perEpoch: [[String: JSONValue]] = []
        var seen = 0
        _ = try run.drive([callback], model: model) { epoch, _ in
            let written = callback.savedPaths[seen...]
            seen = callback.savedPaths.count
            perEpoch.append(["epoch": .int(epoch), "written": .array(written.map { .string($0) }),
                             "best": callback.best.map { .double($0) } ?? .null])
        }
        run.expectKeys(["per_epoch", "files_at_end"])
        run.expectRows(perEpoch, run.result["per_epoch"], "per_epoch")
        let expectedFiles = (run.result["files_at_end"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
        XCTAssertEqual(try filesUnder(directory), expectedFiles, "\(run.id): files_at_end")
    }

    /// Every file below `directory` (in subfolders too), relative to it, leaving out hidden ones.
    private func filesUnder(_ directory: URL) throws -> [String] {
        let files = FileManager.default
        let relative = try files.subpathsOfDirectory(atPath: directory.path)
        return relative.filter { path in
            var isDirectory: ObjCBool = false
            let full = directory.appendingPathComponent(path).path
            return files.fileExists(atPath: full, isDirectory: &isDirectory) && !isDirectory.boolValue
                && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
    }

    /// The real-fit case: its recorded logs replayed through ReduceLROnPlateau then
    /// EarlyStopping, in the order fit called them.
    private func checkCombinedFit(_ run: CallbackCase) throws {
        let reduce = try XCTUnwrap(try Registries.callbacks.make("ReduceLROnPlateau", config: try run.argument("ReduceLROnPlateau")) as? ReduceLROnPlateau)
        let stopper = try XCTUnwrap(try Registries.callbacks.make("EarlyStopping", config: try run.argument("EarlyStopping")) as? EarlyStopping)
        let optimizer = try Registries.optimizers.make("SGD", config: try run.argument("SGD"))
        let model = try ParityModel.make(optimizer: optimizer)
        let epochs = try XCTUnwrap(run.initArgs["epochs"]?.intValue, "\(run.id): init_args.epochs")
        XCTAssertLessThanOrEqual(run.epochLogs.count, epochs, "\(run.id): more logs than epochs")
        var rates: [JSONValue] = []
        let trace = try run.drive([reduce, stopper], model: model) { _, logs in
            rates.append(logs["learning_rate"].map { .double($0) } ?? .null)
        }
        run.expectKeys(["epochs_run", "stopped_at_epoch", "best_epoch", "learning_rate_per_epoch", "final_learning_rate"])
        run.expectEqual(.int(trace.epochsRun), run.result["epochs_run"], "epochs_run")
        run.expectEqual(trace.stoppedAt.map { .int($0) } ?? .null, run.result["stopped_at_epoch"], "stopped_at_epoch")
        run.expectEqual(.int(stopper.bestEpoch), run.result["best_epoch"], "best_epoch")
        run.expectEqual(.array(rates), run.result["learning_rate_per_epoch"], "learning_rate_per_epoch")
        run.expectEqual(.double(Double(optimizer.currentLearningRate)), run.result["final_learning_rate"], "final_learning_rate")
    }
}

/// One fixture case: its arguments, the logs to replay and the expected result.
private struct CallbackCase {
    let id: String
    let initArgs: JSONObject
    let epochLogs: [JSONObject]
    let result: JSONObject

    init(_ object: JSONObject, id: String) throws {
        self.id = id
        initArgs = object["init_args"]?.objectValue ?? JSONObject()
        epochLogs = try (object["epoch_logs"]?.arrayValue ?? []).map { value in
            guard let logs = value.objectValue else {
                throw KeelError("\(id): epoch_logs", expected: "objects", found: value.summary)
            }
            return logs
        }
        guard let result = object["result"]?.objectValue else {
            throw KeelError("\(id)", expected: "a 'result' object", found: "none")
        }
        self.result = result
    }

    /// A nested init_args object (the combined case gives one per component).
    func argument(_ name: String) throws -> JSONObject {
        guard let object = initArgs[name]?.objectValue else {
            throw KeelError("\(id): init_args.\(name)", expected: "an object", found: initArgs[name]?.summary ?? "nothing")
        }
        return object
    }

    struct Trace {
        var epochsRun = 0
        var stoppedAt: Int?
    }

    /// Drives `callbacks` like the fixture generator: before every epoch the kernel is filled
    /// with the epoch number, so the weights a callback restores tell which epoch they are from.
    func drive(_ callbacks: [Callback], model: Model, afterEpoch: (Int, Logs) throws -> Void) throws -> Trace {
        let list = CallbackList(callbacks, model: model, params: TrainingParams(epochs: epochLogs.count, steps: 1, verbose: 0))
        model.stopTraining = false
        try list.onTrainBegin(Logs())
        var trace = Trace()
        var last = Logs()
        for (epoch, values) in epochLogs.enumerated() {
            ParityModel.fillKernel(model, with: epoch)
            try list.onEpochBegin(epoch, Logs())
            let logs = Logs(Dictionary(uniqueKeysWithValues: values.compactMap { key, value in value.doubleValue.map { (key, $0) } }))
            try list.onEpochEnd(epoch, logs)
            trace.epochsRun += 1
            try afterEpoch(epoch, logs)
            last = logs
            if model.stopTraining {
                trace.stoppedAt = epoch
                break
            }
        }
        try list.onTrainEnd(last)
        return trace
    }

    /// Every result field must be one this test compares: a new field fails until it is checked.
    func expectKeys(_ known: Set<String>, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(result.keys), known, "\(id): result fields", file: file, line: line)
    }

    func expectEqual(_ actual: JSONValue, _ expected: JSONValue?, _ field: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let expected else { return XCTFail("\(id): result has no '\(field)'", file: file, line: line) }
        XCTAssertTrue(CallbackCase.same(actual, expected), "\(id): \(field) is \(actual.serialized()), Keras: \(expected.serialized())",
                      file: file, line: line)
    }

    /// Per-epoch rows: the same number, and in each row every field Keras recorded.
    func expectRows(_ actual: [[String: JSONValue]], _ expected: JSONValue?, _ field: String,
                    file: StaticString = #filePath, line: UInt = #line) {
        guard let rows = expected?.arrayValue else { return XCTFail("\(id): result has no '\(field)' list", file: file, line: line) }
        XCTAssertEqual(actual.count, rows.count, "\(id): \(field) rows", file: file, line: line)
        for (index, (mine, theirs)) in zip(actual, rows).enumerated() {
            guard let theirs = theirs.objectValue else { return XCTFail("\(id): \(field)[\(index)] is not an object") }
            XCTAssertEqual(Set(mine.keys), Set(theirs.keys), "\(id): \(field)[\(index)] fields", file: file, line: line)
            for key in theirs.keys {
                expectEqual(mine[key] ?? .null, theirs[key], "\(field)[\(index)].\(key)", file: file, line: line)
            }
        }
    }

    /// Numbers compare by value (an int and a double of the same value are the same), exactly:
    /// every value here is a logged double or a float32 widened to double on both sides.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        if let x = a.arrayValue, let y = b.arrayValue { return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) } }
        return a == b
    }
}

/// The model the fixtures were recorded with: Input(2) → Dense(1), SGD, mse, ["accuracy"].
private enum ParityModel {
    static func make(learningRate: Float) throws -> Model {
        try make(optimizer: SGD(learningRate: .constant(learningRate)))
    }

    static func make(optimizer: Optimizer) throws -> Model {
        let input = Input(shape: [2])
        let model = try Model(inputs: input, outputs: Dense(units: 1)(input))
        try model.compile(optimizer: optimizer, loss: MeanSquaredError(), metrics: ["accuracy"])
        return model
    }

    static func kernel(_ model: Model) -> Variable {
        guard let kernel = model.weights.first(where: { $0.path.hasSuffix("kernel") }) else {
            preconditionFailure("the parity model has no kernel")
        }
        return kernel
    }

    static func fillKernel(_ model: Model, with epoch: Int) {
        let variable = kernel(model)
        variable.assign(Tensor(repeating: Float(epoch), shape: variable.shape))
    }

    /// The epoch whose filled kernel the model holds.
    static func kernelEpoch(_ model: Model) -> Int { Int(kernel(model).value.scalars[0]) }
}
