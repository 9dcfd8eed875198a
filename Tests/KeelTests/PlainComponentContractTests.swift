import Foundation
import XCTest
import Keel
import KeelTestSupport

/// The contract of every class registered as a learning-rate schedule, initializer, regularizer,
/// callback or constraint, run from the registries themselves: it builds from its smallest config
/// (each field of which it requires, naming it when missing), writes that config back with
/// exactly its declared keys in declaration order, rebuilds from it to the same config, rejects an
/// unknown key naming it, and does its job once. A registered class with no entry in the tables
/// below fails.
final class PlainComponentContractTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = ProjectPaths.temporaryDirectory("keel-plain-contract")
        try ClipConstraint.registerOnce()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> JSONValue { .string(directory.appendingPathComponent(name).path) }

    // MARK: The smallest configs: each holds only the fields the class requires.

    private let scheduleConfigs: [String: JSONObject] = [
        "ExponentialDecay": ["initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5],
        "PiecewiseConstantDecay": ["boundaries": [5], "values": [0.1, 0.01]],
        "PolynomialDecay": ["initial_learning_rate": 0.1, "decay_steps": 10],
        "InverseTimeDecay": ["initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5],
        "CosineDecay": ["initial_learning_rate": 0.1, "decay_steps": 10],
        "CosineDecayRestarts": ["initial_learning_rate": 0.1, "first_decay_steps": 10],
    ]

    private let initializerConfigs: [String: JSONObject] = [
        "Zeros": [:], "Ones": [:], "Constant": [:], "Identity": [:], "RandomNormal": [:], "RandomUniform": [:],
        "TruncatedNormal": [:], "VarianceScaling": [:], "GlorotUniform": [:], "GlorotNormal": [:], "HeNormal": [:],
        "HeUniform": [:], "LecunNormal": [:], "LecunUniform": [:], "Orthogonal": [:],
    ]

    private let regularizerConfigs: [String: JSONObject] = ["L1": [:], "L2": [:], "L1L2": [:], "OrthogonalRegularizer": [:]]

    private let constraintConfigs: [String: JSONObject] = [
        "ClipConstraint": [:], "MaxNorm": [:], "MinMaxNorm": [:], "NonNeg": [:], "UnitNorm": [:],
    ]

    private var callbackConfigs: [String: JSONObject] {
        [
            "EarlyStopping": [:],
            "ReduceLROnPlateau": [:],
            "ModelCheckpoint": ["filepath": path("ckpt/model.{epoch:02d}.h5")],
            "BackupAndRestore": ["backup_dir": path("backup")],
            "CSVLogger": ["filename": path("log.csv")],
            "TensorBoard": [:],  // log_dir defaults to "logs", in the working directory (the test's folder)
            "LearningRateScheduler": ["schedule": ["class_name": "PiecewiseConstantDecay",
                                                   "config": ["boundaries": [0], "values": [0.5, 0.25]]]],
            "TerminateOnNaN": [:],
            "LambdaCallback": [:],
            "History": [:],
            "ProgbarLogger": [:],
            "LossHistory": ["directory": path("plots")],
            "BroadcastGlobalVariables": [:],
            "MetricAverage": [:],
            "LearningRateWarmup": ["initial_lr": 0.05],
        ]
    }

    // MARK: One test per family

    func testEverySchedule() throws {
        try checkEveryClass(of: Registries.schedules, configs: scheduleConfigs) { className, schedule in
            let rate = schedule(0)
            XCTAssertTrue(rate.isFinite && rate > 0, "\(className): rate at step 0 is \(rate)")
        }
    }

    func testEveryInitializer() throws {
        try checkEveryClass(of: Registries.initializers, configs: initializerConfigs) { className, initializer in
            let values = initializer([3, 4])
            XCTAssertEqual(values.shape, [3, 4], className)
            XCTAssertTrue(values.scalars.allSatisfy(\.isFinite), className)
        }
    }

    func testEveryRegularizer() throws {
        try checkEveryClass(of: Registries.regularizers, configs: regularizerConfigs) { className, regularizer in
            XCTAssertEqual(regularizer(Tensor.zeros([3, 4])).scalar, 0, className)
        }
    }

    func testEveryConstraint() throws {
        try checkEveryClass(of: Registries.constraints, configs: constraintConfigs) { className, constraint in
            let weight = Tensor(shape: [2, 2], scalars: [-3, 0.5, 2, -0.25])
            XCTAssertEqual(constraint(weight).shape, weight.shape, className)
            // Constraints nest in layer configs as Keras serializes them.
            let nested = try Constraint(configValue: constraint.serialized())
            XCTAssertEqual(nested.config, constraint.config, className)
        }
        let clip = try XCTUnwrap(try Constraint.from("clip_constraint") as? ClipConstraint)
        XCTAssertEqual(clip(Tensor(shape: [3], scalars: [-3, 0.5, 2])).scalars, [-1, 0.5, 1])
        XCTAssertEqual(ClipConstraint(limit: 2).config, ["limit": 2.0])
        XCTAssertThrowsError(try Registries.constraints.make("ClipConstraint", config: ["limit": -1.0])) { error in
            XCTAssertTrue("\(error)".contains("'limit'"), "\(error)")
        }
    }

    func testEveryCallback() throws {
        // Callbacks whose files default to relative paths (TensorBoard's "logs") write into the test's folder.
        let workingDirectory = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { FileManager.default.changeCurrentDirectoryPath(workingDirectory) }
        let (x, y) = TinyProblem.data()
        let (vx, vy) = TinyProblem.data(count: 8)
        try checkEveryClass(of: Registries.callbacks, configs: callbackConfigs) { className, callback in
            let model = try TinyProblem.model()
            try model.fit([x], [y], batchSize: 8, epochs: 2, verbose: 0, callbacks: [callback], validationData: ([vx], [vy]),
                          shuffle: false)
            XCTAssertTrue(callback.model === model, "\(className): setModel ran")
            XCTAssertEqual(callback.params.epochs, 2, "\(className): setParams ran")
            try self.expectEffect(of: callback, on: model)
        }
    }

    /// Components made in Swift skip `init(config:)`'s checks; their rules are reported where
    /// they are used: a layer's field check (through `deferredProblem`), the optimizer's check,
    /// and `fit`.
    func testComponentsMadeInSwiftReportBrokenRulesWhereTheyAreUsed() throws {
        func problem<Value: ConfigRepresentable>(_ value: Value) -> String? { value.deferredProblem }
        XCTAssertTrue(problem(VarianceScaling(scale: -1) as Initializer)?.contains("'scale'") ?? false)
        XCTAssertTrue(problem(L2(l2: -1) as Regularizer?)?.contains("'l2'") ?? false)
        XCTAssertTrue(problem(ClipConstraint(limit: 0) as Constraint)?.contains("'limit'") ?? false)
        XCTAssertNil(problem(GlorotUniform(seed: 3) as Initializer))
        let optimizer = SGD(learningRate: .schedule(ExponentialDecay(initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5)))
        XCTAssertThrowsError(try optimizer.check()) { error in XCTAssertTrue("\(error)".contains("'decay_steps'"), "\(error)") }
        let (x, y) = TinyProblem.data()
        XCTAssertThrowsError(try TinyProblem.model().fit(x, y, epochs: 1, verbose: 0, callbacks: [EarlyStopping(patience: -1)])) {
            error in XCTAssertTrue("\(error)".contains("'patience'"), "\(error)")
        }
    }

    /// What each callback leaves behind after two epochs, where it leaves something to see.
    private func expectEffect(of callback: Callback, on model: Model) throws {
        let name = type(of: callback).kerasClassName
        switch callback {
        case let history as History:
            XCTAssertEqual(history.epochs, [0, 1], name)
        case let stopper as EarlyStopping:
            XCTAssertNotNil(stopper.best, name)
        case let reducer as ReduceLROnPlateau:
            XCTAssertNotNil(reducer.best, name)
        case let checkpoint as ModelCheckpoint:
            XCTAssertEqual(checkpoint.savedPaths.count, 2, name)
            for file in checkpoint.savedPaths { XCTAssertTrue(FileManager.default.fileExists(atPath: file), file) }
        case let logger as CSVLogger:
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: logger.filename)), as: UTF8.self)
            XCTAssertEqual(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 3, "\(name): header and 2 rows")
        case let board as TensorBoard:
            for run in [board.trainDirectory, board.validationDirectory] {
                let files = try FileManager.default.contentsOfDirectory(atPath: run)
                XCTAssertTrue(files.contains { $0.hasPrefix("events.out.tfevents.") }, "\(name): \(run) has \(files)")
            }
        case let backup as BackupAndRestore:
            XCTAssertFalse(FileManager.default.fileExists(atPath: backup.backupDirectory), "\(name): deleted at the end")
        case is LearningRateScheduler:
            XCTAssertEqual(model.optimizer?.currentLearningRate, 0.25, name)
        case let plots as LossHistory:
            XCTAssertFalse(plots.writtenFiles.isEmpty, name)
        case let warmup as LearningRateWarmup:
            // One rank: the warm-up holds the target rate.
            XCTAssertEqual(model.optimizer?.currentLearningRate, Float(warmup.initialLearningRate), name)
        default:
            break
        }
    }

    // MARK: The contract

    private func checkEveryClass<Component>(of registry: Registry<Component>, configs: [String: JSONObject],
                                            behaviour: (String, Component) throws -> Void) throws {
        XCTAssertFalse(registry.classNames.isEmpty, "no \(registry.kind) is registered")
        for className in registry.classNames {
            guard let minimal = configs[className] else {
                XCTFail("\(registry.kind) '\(className)' is registered but has no entry in the contract's table of configs")
                continue
            }
            let made = try registry.make(className, config: minimal)
            let component = try XCTUnwrap(made as AnyObject as? ConfigConstructible, className)
            XCTAssertEqual(type(of: component).kerasClassName, className)
            try checkConfig(of: component, className: className, minimal: minimal, registry: registry)
            try behaviour(className, made)
        }
    }

    private func checkConfig<Component>(of component: ConfigConstructible, className: String, minimal: JSONObject,
                                        registry: Registry<Component>) throws {
        let config = component.config
        // The config is the declared fields Keras writes, in declaration order (base class first).
        let declared = Hyperparameters.declared(in: component).filter(\.isWritten).map(\.key)
        XCTAssertEqual(config.keys, declared, "\(className): config keys")
        // (A nested component is written in Keras's full serialized form, so only plain values compare.)
        for (key, value) in minimal where value.objectValue == nil {
            XCTAssertEqual(config[key]?.serialized(), value.serialized(), "\(className): field '\(key)' written back")
        }
        // Round trip: the config rebuilds an object with the same config, key order included.
        let rebuilt = try XCTUnwrap(try registry.make(className, config: config) as AnyObject as? ConfigConstructible, className)
        XCTAssertEqual(JSONValue.object(rebuilt.config).serialized(), JSONValue.object(config).serialized(), "\(className): round trip")
        XCTAssertEqual(rebuilt.config.keys, config.keys, "\(className): round-trip key order")
        // A key the class does not take is a KeelError naming it, as Keras's cls(**config) raises.
        var unknown = config
        unknown["not_a_keras_field"] = 1
        XCTAssertThrowsError(try registry.make(className, config: unknown), className) { error in
            XCTAssertTrue(error is KeelError, "\(className): \(type(of: error))")
            XCTAssertTrue("\(error)".contains("'not_a_keras_field'"), "\(className): \(error)")
        }
        // Each field of the smallest config is required: leaving it out names it.
        for key in minimal.keys {
            var missing = minimal
            missing[key] = nil
            XCTAssertThrowsError(try registry.make(className, config: missing), "\(className) without '\(key)'") { error in
                XCTAssertTrue("\(error)".contains("'\(key)'"), "\(className) without '\(key)': \(error)")
            }
        }
    }
}

/// A constraint as a plugin writes one: fields declared once, logic only. Clips every weight to
/// ±`limit`.
@Component(.plain)
final class ClipConstraint: Constraint {
    override class var kerasClassName: String { "ClipConstraint" }

    @Hyper("limit", .positive) var limit: Double = 1.0

    override func callAsFunction(_ weight: Tensor) -> Tensor {
        weight.clipped(min: Float(-limit), max: Float(limit))
    }

    static func registerOnce() throws {
        guard !Registries.constraints.contains(kerasClassName) else { return }
        try Registries.constraints.register(ClipConstraint.self, aliases: ["clip_constraint"], origin: "test")
    }
}
