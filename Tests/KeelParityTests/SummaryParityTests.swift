import Foundation
import XCTest
@testable import Keel

/// `summary()` of each model rebuilt from `summary/<name>.json` must equal `summary/<name>.txt`
/// byte for byte (Keras's text at 80 columns, as printed to a pipe).
final class SummaryParityTests: XCTestCase {
    func testEverySummaryFixture() throws {
        let directory = Fixtures.directory.appendingPathComponent("summary")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(names.isEmpty, "no summary fixtures in \(directory.path)")
        var checked = 0
        for file in names {
            let base = String(file.dropLast(5))
            let expectedURL = directory.appendingPathComponent(base + ".txt")
            guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
                XCTFail("\(base): no \(base).txt next to \(file)")
                continue
            }
            let json = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let model: Model
            do {
                model = try ModelConfig.model(from: try JSONValue.parse(json, source: file))
            } catch {
                XCTFail("\(base): the model could not be rebuilt: \(error)")
                continue
            }
            let compileURL = directory.appendingPathComponent("compile/" + file)
            if FileManager.default.fileExists(atPath: compileURL.path) {
                do {
                    try Self.compile(model, as: try Fixtures.load("summary/compile/" + file))
                } catch {
                    XCTFail("\(base): compiling as compile/\(file) says failed: \(error)")
                    continue
                }
            }
            let actual = model.summary(lineLength: 76)
            if actual != expected {
                XCTFail("\(base): summary differs\n--- expected\n\(expected)--- actual\n\(actual)")
            }
            checked += 1
        }
        print("SummaryParityTests: checked \(checked) summary fixtures")
    }

    /// Compiles `model` with the arguments a `summary/compile/<name>.json` names and runs what ran
    /// before Keras printed the summary (`train_on_batch` on N samples of zeros: only the
    /// optimizer's variables, not their values, show in the summary).
    static func compile(_ model: Model, as spec: JSONObject) throws {
        let optimizerSpec = try ConfigReader(spec, owner: "compile spec").object("optimizer")
        guard let className = optimizerSpec["class_name"]?.stringValue else {
            throw KeelError("compile spec optimizer", expected: "a class_name", found: "none")
        }
        let optimizer = try Registries.optimizers.make(className, config: optimizerSpec["init_args"]?.objectValue ?? [:])
        guard let loss = spec["loss"]?.stringValue else { throw KeelError("compile spec", expected: "a loss name", found: "none") }
        let metrics = (spec["metrics"]?.arrayValue ?? []).compactMap(\.stringValue).map { MetricSpec.name($0) }
        try model.compile(optimizer: .optimizer(optimizer), loss: .all(.name(loss)), metrics: .all(metrics))
        let before = spec["before_summary"]?.stringValue ?? ""
        guard before.contains("train_on_batch") else { return }
        guard let count = before.split(separator: " ").compactMap({ Int($0) }).first else {
            throw KeelError("compile spec before_summary", expected: "a sample count", found: before)
        }
        let x = model.inputs.map { Tensor.zeros([count] + $0.shape.dropFirst().map { $0 ?? 1 }) }
        let y = model.outputs.map { output -> Tensor in
            loss.contains("sparse") ? Tensor(repeatingInt32: 0, shape: [count])
                : Tensor.zeros([count] + output.shape.dropFirst().map { $0 ?? 1 })
        }
        _ = try model.trainOnBatch(x, y)
    }
}
