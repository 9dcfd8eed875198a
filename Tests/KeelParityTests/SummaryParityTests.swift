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
            if expected.contains("\n Optimizer params:") {
                // The fixture README documents such models as compiled with Adam and trained one step;
                // the model config alone does not carry the optimizer.
                let optimizer = try Registries.optimizers.make("Adam")
                let variables = model.trainableWeights
                optimizer.apply(variables.map { Tensor.zeros($0.shape) }, to: variables)
                model.optimizer = optimizer
            }
            let actual = model.summary(lineLength: 76)
            if actual != expected {
                XCTFail("\(base): summary differs\n--- expected\n\(expected)--- actual\n\(actual)")
            }
            checked += 1
        }
        print("SummaryParityTests: checked \(checked) summary fixtures")
    }
}
