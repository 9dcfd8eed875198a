import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Every case of csvlogger/runs.json: each recorded fit's epoch logs are replayed into a new
/// Keel CSVLogger with the same file, separator and append flag, and the file must equal the
/// one Keras wrote, byte for byte.
final class CSVLoggerParityTests: XCTestCase {
    func testEveryRunWritesTheBytesKerasWrote() throws {
        let cases = try Fixtures.cases("csvlogger/runs.json")
        var fits = 0
        for testCase in cases {
            let id = testCase["id"]?.stringValue ?? "<no id>"
            let fileName = try XCTUnwrap(testCase["file"]?.stringValue, "\(id): file")
            let separator = try XCTUnwrap(testCase["separator"]?.stringValue?.first, "\(id): separator")
            let runs = try XCTUnwrap(testCase["fits"]?.arrayValue?.compactMap(\.objectValue), "\(id): fits")
            XCTAssertFalse(runs.isEmpty, "\(id): no fits")
            let directory = ProjectPaths.temporaryDirectory("keel-csvlogger-parity")
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(fileName).path
            // CSVLogger reads nothing from the model; fit always has one attached.
            let model = Model(name: "csv_logger_parity")
            for run in runs {
                let logger = CSVLogger(filename: path, separator: separator,
                                           append: try XCTUnwrap(run["append"]?.boolValue, "\(id): append"))
                let epochLogs = try XCTUnwrap(run["epoch_logs"]?.arrayValue?.compactMap(\.objectValue), "\(id): epoch_logs")
                let epochs = try XCTUnwrap(run["epochs"]?.intValue, "\(id): epochs")
                let list = CallbackList([logger], model: model, params: TrainingParams(epochs: epochs, steps: 1, verbose: 0))
                try list.onTrainBegin(Logs())
                var last = Logs()
                for entry in epochLogs {
                    let epoch = try XCTUnwrap(entry["epoch"]?.intValue, "\(id): epoch")
                    let values = try XCTUnwrap(entry["logs"]?.objectValue, "\(id): logs")
                    let logs = Logs(Dictionary(uniqueKeysWithValues: values.compactMap { key, value in
                        value.doubleValue.map { (key, $0) }
                    }))
                    XCTAssertEqual(logs.keys.count, values.count, "\(id): every logged value is a number")
                    try list.onEpochBegin(epoch, Logs())
                    try list.onEpochEnd(epoch, logs)
                    last = logs
                }
                try list.onTrainEnd(last)
                fits += 1
            }
            let expected = try Data(contentsOf: Fixtures.directory.appendingPathComponent("csvlogger").appendingPathComponent(fileName))
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: expected, as: UTF8.self), "\(id): text")
            XCTAssertEqual(written, expected, "\(id): bytes")
        }
        print("csvlogger/runs.json: \(cases.count) cases, \(fits) fits replayed")
    }
}
