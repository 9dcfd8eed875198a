import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Keel's TensorBoard logs as TensorBoard itself serves them, and the HParams records as its
/// plugin reads them.
final class TensorBoardReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = ProjectPaths.temporaryDirectory("keel-tensorboard-reader") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    private func json(_ result: ProcessResult, _ what: String) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, "\(what): \(result.stderr)")
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(what): \(result.stdout)")
    }

    /// Two runs, each a session with its hyper-parameters and a fit logged by the callback.
    private func writeTwoRuns() throws {
        let (x, y) = TinyProblem.data()
        for (run, rate) in [("run_a", 0.1), ("run_b", 0.05)] {
            let session = try SummaryWriter(logDirectory: path("logs/\(run)"))
            try session.hyperparameters(["learning_rate": .number(rate), "optimizer": .string("sgd"), "augment": .bool(run == "run_b")])
            let model = try TinyProblem.model(learningRate: Float(rate))
            let board = TensorBoard(logDirectory: path("logs/\(run)"), histogramFrequency: 1, updateFrequency: .batches(1))
            try model.fit(x, y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [board], validationSplit: 0.25, shuffle: false)
            let images = try SummaryWriter(logDirectory: path("logs/\(run)/samples"))
            try images.image(tag: "grid", images: Tensor(shape: [2, 4, 5, 3], scalars: (0..<120).map { Float($0) / 119 }), step: 0)
            try images.text(tag: "notes", text: "**\(run)**", step: 0)
            try images.close()
            try session.sessionEnded(.success)
            try session.close()
        }
    }

    func testHParamsPluginReadsEachRunsSession() throws {
        try writeTwoRuns()
        let runs = try json(try runPython(TensorBoardScripts.readHParams, arguments: [path("logs")]), "hparams")
        XCTAssertEqual(Set(runs.keys), ["run_a", "run_b"], "only the session folders hold HParams records")
        let first = try XCTUnwrap(runs["run_a"] as? [String: Any])
        XCTAssertEqual(first["hparams"] as? NSDictionary, ["learning_rate": 0.1, "optimizer": "sgd", "augment": false] as NSDictionary)
        XCTAssertEqual(first["status"] as? String, "STATUS_SUCCESS")
        XCTAssertEqual(first["version"] as? Int, 0)
        XCTAssertEqual(first["group_name"] as? String, "")
        let started = try XCTUnwrap(first["start_time_secs"] as? Double)
        XCTAssertLessThan(abs(started - Date().timeIntervalSince1970), 600)
        XCTAssertEqual((runs["run_b"] as? [String: Any])?["hparams"] as? NSDictionary,
                       ["learning_rate": 0.05, "optimizer": "sgd", "augment": true] as NSDictionary)
    }

    func testTensorBoardServesKeelsLogsWithoutWarnings() throws {
        try writeTwoRuns()
        let served = try json(try runPython(TensorBoardScripts.serveLogs, arguments: [path("logs"), "run_a/train"]), "tensorboard")
        let stderr = served["stderr"] as? String ?? ""
        let scalars = try XCTUnwrap(served["scalars"] as? [String: [String: Any]], "TensorBoard never listed run_a/train:\n\(stderr)")
        for run in ["run_a/train", "run_b/train"] {
            XCTAssertEqual(Set(scalars[run]?.keys.map { $0 } ?? []),
                           ["batch_loss", "batch_accuracy", "epoch_loss", "epoch_accuracy", "epoch_learning_rate"], run)
        }
        XCTAssertEqual(Set(scalars["run_a/validation"]?.keys.map { $0 } ?? []),
                       ["epoch_loss", "epoch_accuracy", "evaluation_loss_vs_iterations", "evaluation_accuracy_vs_iterations"])
        let images = try XCTUnwrap(served["images"] as? [String: [String: Any]])
        XCTAssertNotNil(images["run_a/samples"]?["grid"], "\(images)")
        let histograms = try XCTUnwrap(served["histograms"] as? [String: [String: Any]])
        XCTAssertTrue(histograms["run_b/train"]?.keys.contains { $0.hasSuffix("kernel/histogram") } ?? false, "\(histograms)")
        // The runs compare side by side: one hyper-parameter column each, one session per run.
        let experiment = try XCTUnwrap(served["hparams"] as? [String: Any])
        let names = (experiment["hparamInfos"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        XCTAssertEqual(Set(names), ["learning_rate", "optimizer", "augment"], "\(experiment)")
        let groups = (served["sessions"] as? [String: Any])?["sessionGroups"] as? [[String: Any]] ?? []
        XCTAssertEqual(groups.count, 2, "\(served["sessions"] ?? "")")
        // Nothing about the files in the server's log. TensorFlow's import prints abseil INFO
        // records ("I0000 ...") and abseil's notice that they go to stderr; those are not about the logs.
        let complaints = stderr.split(separator: "\n").filter { line in
            guard !line.hasPrefix("I0000 "), !line.hasPrefix("WARNING: All log messages before absl::InitializeLog()") else { return false }
            return ["warn", "error", "corrupt", "truncat", "checksum", "data loss", "crc"].contains { line.lowercased().contains($0) }
        }
        XCTAssertEqual(complaints, [], stderr)
    }
}
