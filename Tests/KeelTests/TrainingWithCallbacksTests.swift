import Foundation
import XCTest
import Keel
import KeelTestSupport

/// One real `fit` with every built-in callback attached, and what it leaves on disk read back
/// by other tools: the CSV log by Python's csv module, the charts by libpng and `file`, the
/// checkpoints by Keel's loader.
final class TrainingWithCallbacksTests: XCTestCase {
    func testFitWithEveryCallbackLeavesFilesOtherToolsRead() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-fit-callbacks")
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        let (x, y) = TinyProblem.data(count: 48)
        let (validationX, validationY) = TinyProblem.data(count: 16)
        let model = try TinyProblem.model(learningRate: 0.5)
        var epochEnds = 0
        let history = History()
        let lossHistory = LossHistory(directory: path("plots"))
        let samples = GANMonitor(directory: directory.path, rows: 2, columns: 2) { _ in
            // Four 4×4 "images": the model's outputs on four corners, each a flat square.
            let corners = Tensor(shape: [4, 2], scalars: [-1, -1, -1, 1, 1, -1, 1, 1])
            let outputs = model.forward([corners])[0].scalars
            return Tensor(shape: [4, 4, 4, 1], scalars: outputs.flatMap { Array(repeating: $0, count: 16) })
        }
        let everyEpoch = ModelCheckpoint(filepath: path("checkpoints/model.{epoch:02d}-{val_loss:.2f}.h5"))
        let best = ModelCheckpoint(filepath: path("checkpoints/best.weights.h5"), monitor: "val_accuracy",
                                       saveBestOnly: true, saveWeightsOnly: true)
        let callbacks: [Callback] = [
            LearningRateScheduler { epoch, rate in epoch == 0 ? rate : rate * 0.9 },
            ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1),
            CSVLogger(filename: path("log.csv")),
            TerminateOnNaN(),
            LambdaCallback(onEpochEnd: { _, _ in epochEnds += 1 }),
            everyEpoch, best,
            BackupAndRestore(backupDirectory: path("backup")),
            lossHistory, samples,
            EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true),
            history,
        ]
        let returned = try model.fit(x, y, batchSize: 8, epochs: 4, verbose: 0, callbacks: callbacks,
                                     validationData: (validationX, validationY), shuffle: false)
        XCTAssertTrue(returned === history, "fit returns the History it was given")
        let epochs = history.epochs.count
        XCTAssertGreaterThan(epochs, 0)
        XCTAssertEqual(epochEnds, epochs)

        // The CSV log, read by Python's csv module, holds exactly the History's numbers.
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="") as f:
            rows = list(csv.reader(f))
        print(json.dumps({"header": rows[0], "rows": [[int(r[0])] + [float(v) for v in r[1:]] for r in rows[1:]]}))
        """
        let python = try runPython(script, arguments: [path("log.csv")])
        XCTAssertEqual(python.status, 0, python.stderr)
        let table = try XCTUnwrap(JSONValue.parse(python.stdout).objectValue)
        let header = (table["header"]?.arrayValue ?? []).compactMap(\.stringValue)
        XCTAssertEqual(header, ["epoch", "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"])
        let rows = (table["rows"]?.arrayValue ?? []).compactMap(\.arrayValue)
        XCTAssertEqual(rows.count, epochs)
        for (epoch, row) in rows.enumerated() {
            XCTAssertEqual(row.first?.intValue, epoch)
            for (column, key) in header.enumerated().dropFirst() {
                XCTAssertEqual(row[column].doubleValue, history.history[key]?[epoch], "epoch \(epoch) \(key)")
            }
        }

        // Charts: every file LossHistory wrote is a PNG that libpng and `file` recognise; the
        // history is one figure of three panels (loss, accuracy, learning rate).
        let expectedCharts = (0..<epochs).flatMap { ["plot_at_epoch_\($0).png", "accuracy_at_epoch_\($0).png"] }
            + ["history.png"]
        XCTAssertEqual(lossHistory.writtenFiles.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted(), expectedCharts.sorted())
        for chart in lossHistory.writtenFiles {
            let image = try PNGImage.read(chart)
            let size = chart.hasSuffix("history.png") ? [3 * 640, image.height, 3] : [800, 500, 3]
            XCTAssertEqual([image.width, image.height, image.channels], size, chart)
            let described = try runProcess(URL(fileURLWithPath: "/usr/bin/file"), ["-b", chart])
            XCTAssertTrue(described.stdout.hasPrefix("PNG image data, \(size[0]) x \(size[1]), 8-bit/color RGB"), described.stdout)
        }
        XCTAssertEqual(lossHistory.batchValues["loss"]?.count, epochs * 6)
        XCTAssertEqual(lossHistory.epochValues["learning_rate"]?.count, epochs, "the learning rate is charted too")

        // Sample grids, one per epoch, 2×2 tiles of 4×4 pixels enlarged to a viewable size.
        XCTAssertEqual(samples.writtenFiles.map { URL(fileURLWithPath: $0).lastPathComponent },
                       (1...epochs).map { String(format: "epoch_%03d.png", $0) })
        let grid = try PNGImage.read(try XCTUnwrap(samples.writtenFiles.last))
        XCTAssertEqual([grid.width, grid.height, grid.channels], [2 * 4 * 16 + 3 * 16, 2 * 4 * 16 + 3 * 16, 1])

        // Checkpoints: one full model per epoch, named from the logs, and the best weights.
        let saved = try FileManager.default.contentsOfDirectory(atPath: path("checkpoints")).sorted()
        let perEpoch = (0..<epochs).map { epoch in
            String(format: "model.%02d-%.2f.h5", epoch + 1, history.history["val_loss"]![epoch])
        }
        XCTAssertEqual(saved, (perEpoch + ["best.weights.h5"]).sorted())
        let reloaded = try Model.load(from: path("checkpoints/" + perEpoch.last!))
        XCTAssertEqual(reloaded.weights.map(\.shape), model.weights.map(\.shape))
        try reloaded.loadWeights(from: path("checkpoints/best.weights.h5"))

        // The backup is removed once training completes.
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("backup")))
    }
}
