import Foundation
import XCTest
import KeelTestSupport

/// `keel resume`: every experiment in Experiments/, killed with SIGKILL in the middle of an epoch
/// once its first snapshot exists and then resumed, ends with weights, optimizer state, logs and
/// images identical (bit for bit) to a run that was never interrupted. Fit-based experiments
/// resume from the backup `keel run` gives each `fit`; hand-written loops from `context.checkpoint`.
final class ResumeTests: XCTestCase {
    private func harness(_ keel: KeelProcess, _ experiment: String, _ settings: [String]) -> ResumeHarness {
        ResumeHarness(keel: keel, arguments: ["run", experiment] + settings.flatMap { ["--set", $0] })
    }

    private let backup = "checkpoints/backup/training_metadata.json"
    private let checkpoint = "checkpoints/resume.h5"

    func testFashionMLP() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "fashion-mlp", ["epochs=4", "train_samples=1200", "validation_samples=300", "units=32", "patience=10"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", delays: [0, 0.05],
                                  arrays: ["model.h5", "checkpoints/epoch_04.h5"], files: ["log.csv"], folders: ["plots"])
    }

    /// Two fits in one run: killed in the second, the resumed run skips the finished first one.
    func testFocalImbalance() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "focal-imbalance", ["epochs=3", "negatives=2000", "ratio=10"])
            .assertResumesExactly(snapshot: "checkpoints/backup_2/training_metadata.json", containing: "\"epoch\": 1",
                                  arrays: ["model.h5", "checkpoints/focal.h5", "checkpoints/bce.h5"], files: ["log.csv"])
    }

    func testTicketClassifier() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "ticket-classifier", ["epochs=3", "samples=640", "vocabulary=400", "tags=20"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.h5"], files: ["log.csv"])
    }

    func testSegmentation() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "segmentation", ["epochs=3", "train_samples=256", "validation_samples=32", "image_size=16", "width=4"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.h5", "checkpoints/best.h5"],
                                  files: ["log.csv"], folders: ["samples", "plots"])
    }

    func testTextClassifier() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "text-classifier", ["epochs=3", "train_samples=192", "validation_samples=64", "max_length=8",
                                               "embedding_dim=8", "lstm_units=4"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.h5", "checkpoints/best.h5"],
                                  files: ["log.csv", "samples/predictions.txt"], folders: ["plots"])
    }

    func testCustomLoop() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "custom-loop", ["epochs=3", "train_samples=1280", "validation_samples=256", "log_every=5"])
            .assertResumesExactly(snapshot: checkpoint, delays: [0, 0.03], arrays: ["model.h5"], files: ["log.csv"])
    }

    func testVGGCNN() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "vgg-cnn", ["epochs=3", "train_samples=128", "validation_samples=32", "batch_size=32"])
            .assertResumesExactly(snapshot: checkpoint, arrays: ["model.h5", "checkpoints/epoch_3.h5"], files: ["log.csv"])
    }

    func testDCGAN() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "dcgan", ["epochs=3", "steps=4", "batch_size=8", "width=8", "latent_dim=8", "sample_every=3",
                                    "train_samples=64", "grid=2"])
            .assertResumesExactly(snapshot: checkpoint, arrays: ["model.h5", "checkpoints/generator.h5", "checkpoints/discriminator.h5"],
                                  files: ["log.csv"], folders: ["samples"])
    }

    func testMinimize() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "minimize", ["steps=1500"])
            .assertResumesExactly(snapshot: checkpoint, files: ["log.csv", "plots/trajectories.png"])
    }

    // The seed programs added as experiments or variants (docs/seeds.md).

    func testHandLoopsTrainAndEvaluate() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "hand-loops", ["epochs=3", "train_samples=640", "validation_samples=64"])
            .assertResumesExactly(snapshot: checkpoint, arrays: ["model.h5"], files: ["log.csv", "evaluation.csv"])
    }

    func testHandLoopsOnBatch() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "hand-loops", ["step=on_batch", "epochs=3", "train_samples=640", "validation_samples=64"])
            .assertResumesExactly(snapshot: checkpoint, arrays: ["model.h5"], files: ["log.csv", "evaluation.csv"])
    }

    func testHandLoopsTrainingFlagAndTrackers() throws {
        for program in ["training_flag", "trackers"] {
            let keel = KeelProcess()
            defer { keel.remove() }
            try harness(keel, "hand-loops", ["program=\(program)", "epochs=3", "random_samples=320"])
                .assertResumesExactly(snapshot: checkpoint, arrays: ["model.h5"], files: ["log.csv"])
        }
    }

    func testTrainStep() throws {
        for variant in ["tracker", "compiled"] {
            let keel = KeelProcess()
            defer { keel.remove() }
            try harness(keel, "train-step", ["variant=\(variant)", "epochs=3", "train_samples=640"])
                .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.h5"], files: ["log.csv"])
        }
    }

    func testCompileFit() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try harness(keel, "compile-fit", ["epochs=6"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.weights.h5"], files: ["log.csv"])
        let sequential = KeelProcess()
        defer { sequential.remove() }
        try harness(sequential, "compile-fit", ["program=sequential", "epochs=4"])
            .assertResumesExactly(snapshot: backup, containing: "\"epoch\": 1", arrays: ["model.h5"], files: ["log.csv"])
    }

    func testSeedVariantsOfExistingExperiments() throws {
        let runs: [(String, [String], String, [String], [String])] = [
            ("custom-loop", ["variant=activity_regularization", "epochs=3", "train_samples=1280", "validation_samples=256"],
             checkpoint, ["model.h5"], ["log.csv"]),
            ("fashion-mlp", ["variant=rmse", "epochs=3", "train_samples=1200", "validation_samples=300", "units=32"],
             backup, ["model.h5"], ["log.csv"]),
            ("fashion-mlp", ["variant=callbacks", "epochs=3", "train_samples=1200", "validation_samples=300", "units=32"],
             backup, ["model.h5"], ["log.csv"]),
        ]
        for (experiment, settings, snapshot, arrays, files) in runs {
            let keel = KeelProcess()
            defer { keel.remove() }
            try harness(keel, experiment, settings)
                .assertResumesExactly(snapshot: snapshot, containing: snapshot == backup ? "\"epoch\": 1" : nil, arrays: arrays, files: files)
        }
        let focal = KeelProcess()
        defer { focal.remove() }
        try harness(focal, "focal-imbalance", ["focal=function", "epochs=3", "negatives=2000", "ratio=10"])
            .assertResumesExactly(snapshot: "checkpoints/backup_2/training_metadata.json", containing: "\"epoch\": 1",
                                  arrays: ["model.h5", "checkpoints/focal.h5", "checkpoints/bce.h5"], files: ["log.csv"])
    }

    /// A damaged checkpoint is one clear error (no signal), and the run's files are left as they were.
    func testDamagedCheckpointIsAnErrorAndStaysUntouched() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let run = harness(keel, "minimize", ["steps=1500"])
        XCTAssertTrue(try run.killedRun(directory: "run", snapshot: checkpoint))
        let path = keel.path("run/" + checkpoint)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [good.count / 2, 600, 0] {
            let bytes = good.prefix(cut)
            try bytes.write(to: URL(fileURLWithPath: path))
            let result = try keel.run(["resume", "run"])
            assertFails(result, mentioning: ["Error:", "checkpoint", "resume.h5"])
            XCTAssertEqual(result.status, 1, "resume ended by a signal or a trap:\n\(result.stderr)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "the damaged checkpoint was replaced")
            XCTAssertFalse(keel.exists("run/log.csv"))
        }
    }

    /// An experiment whose own loop never checkpoints and that does not use `fit` records no resume
    /// point: `keel resume` says it cannot continue it and changes nothing.
    func testResumeRefusesAnExperimentThatCannotResume() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = try keel.plugin("Unresumable", ["Unresumable.swift": """
            import Keel
            final class Unresumable: Experiment {
                override class var name: String { "unresumable" }
                override func run(_ context: ExperimentContext) throws {
                    let w = Variable(Tensor.zeros([2]), name: "w", path: "w")
                    let optimizer = SGD(learningRate: .constant(0.1))
                    for _ in 0..<5 { optimizer.minimize({ (w.value - Tensor.ones([2])).squared().sum() }, variables: [w]) }
                    try CSV.write([["w0"], [String(w.value.scalars[0])]], to: context.runDirectory.log)
                    throw KeelError("the experiment", expected: "to be interrupted", found: "a stop")
                }
            }
            public func registerPlugin(_ plugin: PluginRegistrar) throws { try plugin.addExperiment(Unresumable.self) }
            """])
        assertFails(try keel.run(["run", folder.path, "--run-dir", "run"]), mentioning: ["a stop"])
        let status = try String(contentsOfFile: keel.path("run/status.json"), encoding: .utf8)
        let log = try String(contentsOfFile: keel.path("run/log.csv"), encoding: .utf8)
        let result = try keel.run(["resume", "run"], environment: ["KEEL_PLUGIN_PATH": folder.deletingLastPathComponent().path])
        assertFails(result, mentioning: ["cannot resume", "unresumable"])
        XCTAssertFalse(result.stdout.contains("Resuming run"), result.stdout)
        XCTAssertEqual(try String(contentsOfFile: keel.path("run/status.json"), encoding: .utf8), status)
        XCTAssertEqual(try String(contentsOfFile: keel.path("run/log.csv"), encoding: .utf8), log)
    }
}
