import Foundation
import XCTest
import KeelTestSupport

/// `keel run <experiment> --tensorboard`: the run directory gets `tensorboard/`, which TensorBoard's
/// EventAccumulator reads as an HParams session (the run's hyper-parameters) with train/ and
/// validation/ runs, for a fit-based experiment, a hand-written loop and the GAN.
final class TensorBoardRunTests: XCTestCase {
    /// Per run folder under `tensorboard/`: tags with their plugin and steps, and the HParams session.
    private static let readRun = """
    import sys, os, json, glob
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from google.protobuf import json_format
    from tensorboard.backend.event_processing import event_accumulator as ea
    from tensorboard.plugins.hparams import plugin_data_pb2
    root = sys.argv[1]
    result = {}
    for folder in sorted(set(os.path.dirname(f) for f in glob.glob(root + "/**/events.out.tfevents.*", recursive=True))):
        acc = ea.EventAccumulator(folder, size_guidance={ea.TENSORS: 0})
        acc.Reload()
        run = {"tags": {t: {"plugin": acc.SummaryMetadata(t).plugin_data.plugin_name, "steps": [e.step for e in acc.Tensors(t)]}
                        for t in acc.Tags()["tensors"]}}
        try:
            for tag, content in acc.PluginTagToContent("hparams").items():
                data = plugin_data_pb2.HParamsPluginData.FromString(content)
                if data.HasField("session_start_info"):
                    run["hparams"] = {k: json_format.MessageToDict(v) for k, v in data.session_start_info.hparams.items()}
                if data.HasField("session_end_info"):
                    run["status"] = data.session_end_info.status
        except KeyError:
            pass
        result[os.path.relpath(folder, root)] = run
    print(json.dumps(result))
    """

    private func runWithTensorBoard(_ name: String, _ settings: [String]) throws -> [String: [String: Any]] {
        let keel = KeelProcess()
        defer { keel.remove() }
        try keel.succeed(["run", name, "--tensorboard", "--run-dir", "run"] + settings.flatMap { ["--set", $0] })
        let config = try String(contentsOfFile: keel.path("run/config.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("\"tensorboard\": true"), config)
        let read = try runPython(TensorBoardRunTests.readRun, arguments: [keel.path("run/tensorboard")])
        XCTAssertEqual(read.status, 0, read.stderr)
        let runs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data((read.stdout.split(separator: "\n").last ?? "").utf8))
            as? [String: [String: Any]], read.stdout)
        // The root folder is the run's HParams session, ended successfully (STATUS_SUCCESS = 1).
        let session = try XCTUnwrap(runs["."], "\(name): no session in \(runs.keys)")
        let hparams = try XCTUnwrap(session["hparams"] as? [String: Any], name)
        XCTAssertEqual(hparams["experiment"] as? String, name)
        XCTAssertNotNil(hparams["seed"])
        XCTAssertEqual(session["status"] as? Int, 1, name)
        return runs
    }

    private func tags(_ runs: [String: [String: Any]], _ run: String) -> [String: [String: Any]] {
        runs[run]?["tags"] as? [String: [String: Any]] ?? [:]
    }

    func testFitExperimentGetsKerasTensorBoardLogs() throws {
        let runs = try runWithTensorBoard("fashion-mlp", ["epochs=2", "train_samples=300", "validation_samples=100", "units=16"])
        XCTAssertEqual((runs["."]?["hparams"] as? [String: Any])?["units"] as? Double, 16)
        let train = tags(runs, "train"), validation = tags(runs, "validation")
        for tag in ["epoch_loss", "epoch_accuracy", "epoch_learning_rate"] {
            XCTAssertEqual(train[tag]?["steps"] as? [Int], [0, 1], tag)
            XCTAssertEqual(train[tag]?["plugin"] as? String, "scalars", tag)
        }
        XCTAssertEqual(train["keras"]?["plugin"] as? String, "graph_keras_model")
        XCTAssertEqual(validation["epoch_loss"]?["steps"] as? [Int], [0, 1])
        XCTAssertEqual((validation["evaluation_loss_vs_iterations"]?["steps"] as? [Int])?.count, 2)
    }

    func testCustomLoopLogsItsScalars() throws {
        let runs = try runWithTensorBoard("custom-loop", ["epochs=2", "train_samples=256", "validation_samples=64"])
        XCTAssertEqual(Set(tags(runs, "train").keys), ["epoch_accuracy", "epoch_loss"])
        XCTAssertEqual(tags(runs, "train")["epoch_loss"]?["steps"] as? [Int], [0, 1])
        XCTAssertEqual(Set(tags(runs, "validation").keys), ["epoch_accuracy"])
    }

    func testGANSampleGridsBecomeImages() throws {
        let runs = try runWithTensorBoard("dcgan", ["epochs=1", "steps=4", "batch_size=8", "width=8", "latent_dim=8", "sample_every=2",
                                                    "train_samples=64", "grid=2"])
        let train = tags(runs, "train")
        XCTAssertEqual(train["samples"]?["plugin"] as? String, "images")
        XCTAssertEqual(train["samples"]?["steps"] as? [Int], [0])
        XCTAssertEqual(train["step_samples"]?["steps"] as? [Int], [2, 4])
        XCTAssertEqual(train["epoch_d_loss"]?["steps"] as? [Int], [0])
        XCTAssertEqual(train["epoch_g_loss"]?["steps"] as? [Int], [0])
    }
}
