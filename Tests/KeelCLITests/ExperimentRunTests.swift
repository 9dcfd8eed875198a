import Foundation
import XCTest
import KeelTestSupport

/// Every built-in experiment runs end to end through `keel run` with small settings and leaves a
/// complete run directory.
final class ExperimentRunTests: XCTestCase {
    private func runExperiment(_ name: String, _ settings: [String], expecting files: [String]) throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let arguments = ["run", name, "--run-dir", "run"] + settings.flatMap { ["--set", $0] }
        try keel.succeed(arguments)
        for file in ["config.json", "status.json"] + files {
            XCTAssertTrue(keel.exists("run/" + file), "\(name): run/\(file) is missing")
        }
        let status = try String(contentsOfFile: keel.path("run/status.json"), encoding: .utf8)
        XCTAssertTrue(status.contains("\"finished\""), "\(name): status \(status)")
        XCTAssertTrue(status.contains("\"started\"") && status.contains("\"pid\""), "\(name): status \(status)")
        // Folders exist only when something was written into them.
        for folder in ["checkpoints", "samples", "plots"] where keel.exists("run/" + folder) {
            let entries = try FileManager.default.contentsOfDirectory(atPath: keel.path("run/" + folder))
            XCTAssertFalse(entries.isEmpty, "\(name): run/\(folder) is empty")
        }
    }

    func testFashionMLP() throws {
        try runExperiment("fashion-mlp", ["epochs=2", "train_samples=600", "validation_samples=200", "units=32"],
                          expecting: ["log.csv", "model.h5", "summary.txt", "checkpoints/epoch_01.h5", "plots/history.png"])
    }

    func testCustomLoop() throws {
        try runExperiment("custom-loop", ["epochs=1", "train_samples=640", "validation_samples=128"],
                          expecting: ["log.csv", "model.h5", "summary.txt"])
    }

    func testTicketClassifier() throws {
        try runExperiment("ticket-classifier", ["epochs=1", "samples=128", "vocabulary=200", "tags=20"],
                          expecting: ["log.csv", "model.h5", "summary.txt", "plots/ticket_classifier.png"])
    }

    /// The seed programs that are variants with files of their own (docs/seeds.md); the others
    /// run in ResumeTests.
    func testSeedProgramVariants() throws {
        try runExperiment("ticket-classifier", ["data=dict", "epochs=1", "samples=128", "vocabulary=200", "tags=20"],
                          expecting: ["log.csv", "model.h5", "summary.txt"])
        try subclassedTicketClassifierLogsAsKeras()
        for variant in ["plain", "loss_history"] {
            try runExperiment("fashion-mlp", ["variant=\(variant)", "epochs=1", "train_samples=600", "validation_samples=200", "units=32"],
                              expecting: ["log.csv", "model.h5"] + (variant == "plain" ? [] : ["plots/plot_at_epoch_0.png"]))
        }
        try runExperiment("compile-fit", ["program=optimizer_weights"], expecting: ["log.csv", "model.h5", "optimizer_weights.txt"])
    }

    /// Listing 7.14: the subclassed model's CSV log has the columns Keras's CSVLogger writes for it
    /// (per-output losses named after the losses, metrics unprefixed, and Keras 3's `val_` columns).
    private func subclassedTicketClassifierLogsAsKeras() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let settings = ["model=subclassed", "epochs=1", "samples=64", "vocabulary=50", "tags=10"]
        let run = try keel.succeed(["run", "ticket-classifier", "--run-dir", "run"] + settings.flatMap { ["--set", $0] })
        XCTAssertTrue(run.stdout.contains("Model: \"customer_ticket_model\""), run.stdout)
        XCTAssertTrue(keel.exists("run/ticket_classifier.weights.h5"))
        let header = try String(contentsOfFile: keel.path("run/log.csv"), encoding: .utf8).components(separatedBy: "\r\n").first
        let names = ["accuracy", "loss", "mean_absolute_error", "mean_squared_error_loss", "sparse_categorical_crossentropy_loss"]
        XCTAssertEqual(header, (["epoch"] + names + names.map { "val_" + $0 }).joined(separator: ","))
    }

    func testVGGCNN() throws {
        try runExperiment("vgg-cnn", ["epochs=1", "train_samples=64", "validation_samples=32", "batch_size=32"],
                          expecting: ["log.csv", "model.h5", "summary.txt", "checkpoints/epoch_1.h5"])
    }

    /// The augmentation option is listed (off by default) and, switched on, puts the random
    /// transforms in the model, which trains and saves with them.
    func testVGGCNNWithAugmentation() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let help = try keel.succeed(["run", "vgg-cnn", "--help"]).stdout
        XCTAssertTrue(help.contains("augmentation") && help.contains("false"), help)
        let settings = ["epochs=1", "train_samples=64", "validation_samples=32", "batch_size=32", "augmentation=true"]
        try keel.succeed(["run", "vgg-cnn", "--run-dir", "run"] + settings.flatMap { ["--set", $0] })
        let summary = try String(contentsOfFile: keel.path("run/summary.txt"), encoding: .utf8)
        for layer in ["RandomFlip", "RandomRotation", "RandomZoom"] {
            XCTAssertTrue(summary.contains(layer), "the augmented model has no \(layer):\n\(summary)")
        }
        XCTAssertTrue(keel.exists("run/model.h5"))
    }

    func testDCGAN() throws {
        try runExperiment("dcgan", ["epochs=1", "steps=4", "batch_size=8", "width=8", "latent_dim=8", "sample_every=2",
                                    "train_samples=64", "grid=2"],
                          expecting: ["log.csv", "model.h5", "summary.txt", "samples/epoch_001.png", "samples/step_00002.png",
                                      "checkpoints/generator.h5", "checkpoints/discriminator.h5"])
    }

    func testFocalImbalance() throws {
        try runExperiment("focal-imbalance", ["epochs=1", "negatives=400", "ratio=10"],
                          expecting: ["log.csv", "model.h5", "checkpoints/focal.h5", "checkpoints/bce.h5"])
    }

    func testSegmentation() throws {
        try runExperiment("segmentation", ["epochs=1", "train_samples=32", "validation_samples=8", "image_size=16", "width=4"],
                          expecting: ["log.csv", "model.h5", "summary.txt", "checkpoints/best.h5", "samples/validation.png",
                                      "plots/history.png"])
    }

    func testMinimize() throws {
        try runExperiment("minimize", ["steps=20"], expecting: ["log.csv", "plots/trajectories.png"])
    }

    func testRunWithoutRunDirectoryMakesOneUnderRuns() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(["run", "minimize", "--set", "steps=3"])
        let runs = try FileManager.default.contentsOfDirectory(atPath: keel.path("runs/minimize"))
        XCTAssertEqual(runs.count, 1)
        let listing = try keel.succeed(["runs"])
        XCTAssertTrue(listing.stdout.contains("minimize") && listing.stdout.contains("finished"), listing.stdout)
    }

    /// A repository experiment named by its folder is the same plugin the search already loaded.
    func testAnExperimentFolderAlreadyInTheSearchPathRuns() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        let folder = ProjectPaths.root.appendingPathComponent("Experiments/Minimize").path
        try keel.succeed(["run", folder, "--set", "steps=3", "--run-dir", "by-folder"])
        let config = try String(contentsOfFile: keel.path("by-folder/config.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("\"minimize\""), config)
    }

    func testBadRequestsFailBeforeAnyRunDirectory() throws {
        let keel = KeelProcess()
        defer { keel.remove() }
        assertFails(try keel.run(["run", "no-such-experiment"]), mentioning: ["no-such-experiment"])
        assertFails(try keel.run(["run", "minimize", "--set", "steps=many"]), mentioning: ["steps", "integer"])
        assertFails(try keel.run(["run", "minimize", "--set", "colour=blue"]), mentioning: ["colour"])
        assertFails(try keel.run(["run", "minimize", "--set", "steps"]), mentioning: ["key=value"])
        XCTAssertFalse(keel.exists("runs"), "a rejected request left a run directory")
    }
}
