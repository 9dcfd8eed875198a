import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// Loading is strict: a missing, extra or wrong-shape weight is an error naming the layer, the
/// weight and both shapes, and the model is left untouched; `skipMismatch` loads what fits.
final class SavingMismatchTests: XCTestCase {
    private var directory: URL!

    override func setUp() {
        directory = ProjectPaths.temporaryDirectory("keel-saving-mismatch")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Input(4) -> Dense(units[0]) -> Dense(units[1]) ..., layers named `hidden0`, `hidden1`, ...
    private func stack(_ units: [Int], inputs: Int = 4) throws -> Sequential {
        let layers: [Layer] = [InputLayer(batchShape: [nil, inputs])]
            + units.enumerated().map { Dense(units: $0.element, name: "hidden\($0.offset)") }
        return try Sequential(layers, name: "stack")
    }

    private func values(_ model: Model) -> [[Float]] { model.weights.map(\.value.scalars) }

    /// Each weights form Keel writes, and how to load it into another model.
    private var forms: [(name: String, save: (Model, String) throws -> Void)] {
        [("stack.weights.h5", { try $0.saveWeights(to: $1) }), ("stack.h5", { try $0.save(to: $1) }),
         ("stack.keras", { try $0.save(to: $1) })]
    }

    func testWrongShapeNamesLayerWeightAndShapes() throws {
        for form in forms {
            try form.save(try stack([3, 2]), path(form.name))
            let other = try stack([5, 2])
            let before = values(other)
            XCTAssertThrowsError(try other.loadWeights(from: path(form.name)), form.name) { error in
                let message = "\(error)"
                XCTAssertTrue(error is KeelError, "\(form.name): \(message)")
                XCTAssertTrue(message.contains(path(form.name)), "\(form.name): names the file: \(message)")
                XCTAssertTrue(message.contains("layer 'hidden0'"), "\(form.name): names the layer: \(message)")
                XCTAssertTrue(message.contains("'kernel'"), "\(form.name): names the weight: \(message)")
                XCTAssertTrue(message.contains("expected shape [4, 5], found [4, 3]"), "\(form.name): shapes: \(message)")
            }
            XCTAssertEqual(values(other), before, "\(form.name): a failed strict load changes nothing")
        }
    }

    func testSkipMismatchLoadsTheWeightsThatFit() throws {
        var warnings: [String] = []
        let previousHandler = SavingWarnings.handler
        SavingWarnings.handler = { warnings.append($0) }
        defer { SavingWarnings.handler = previousHandler }
        for form in forms {
            let saved = try stack([3, 2])
            try form.save(saved, path(form.name))
            let other = try stack([3, 7])
            let untouched = other.layers[1].weights.map(\.value.scalars)
            warnings = []
            try other.loadWeights(from: path(form.name), skipMismatch: true)
            XCTAssertEqual(other.layers[0].weights.map(\.value.scalars), saved.layers[0].weights.map(\.value.scalars),
                           "\(form.name): the layer that fits is loaded")
            XCTAssertEqual(other.layers[1].weights[1].value.scalars, untouched[1], "\(form.name): mismatched bias kept")
            XCTAssertEqual(other.layers[1].weights[0].value.scalars, untouched[0], "\(form.name): mismatched kernel kept")
            XCTAssertEqual(warnings.count, 1, "\(form.name): one warning lists what was skipped")
            XCTAssertTrue(warnings.first?.contains("layer 'hidden1'") ?? false, "\(form.name): \(warnings)")
        }
    }

    func testMissingLayerIsAnErrorNamingIt() throws {
        for form in forms {
            try form.save(try stack([3]), path(form.name))
            let bigger = try stack([3, 2])
            XCTAssertThrowsError(try bigger.loadWeights(from: path(form.name)), form.name) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("layer 'hidden1'") && message.contains("missing"), "\(form.name): \(message)")
                XCTAssertTrue(message.contains("kernel [3, 2]"), "\(form.name): lists the missing weights: \(message)")
            }
            try bigger.loadWeights(from: path(form.name), skipMismatch: true)
        }
    }

    func testExtraLayerInTheFileIsAnError() throws {
        for form in forms {
            try form.save(try stack([3, 2]), path(form.name))
            let smaller = try stack([3])
            XCTAssertThrowsError(try smaller.loadWeights(from: path(form.name)), form.name) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("no layer of the model takes"), "\(form.name): \(message)")
            }
            try smaller.loadWeights(from: path(form.name), skipMismatch: true)
        }
    }

    func testWeightCountMismatchNamesBothLists() throws {
        let saved = try Sequential([InputLayer(batchShape: [nil, 4]), Dense(units: 3, useBias: false, name: "hidden0")],
                                   name: "stack")
        try saved.saveWeights(to: path("nobias.weights.h5"))
        XCTAssertThrowsError(try stack([3]).loadWeights(from: path("nobias.weights.h5"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("expected 2 weights [kernel [4, 3], bias [3]], found 1"), message)
        }
    }

    func testFullModelLoadIsStrictToo() throws {
        let model = try stack([3, 2])
        try model.save(to: path("model.h5"))
        // Rewrite one kernel with another shape, as a damaged or hand-edited file would have it.
        let file = try HDF5File(path("model.h5"), mode: .readWrite)
        let layer = try file.root.group("model_weights/hidden1")
        try layer.removeChild("stack/hidden1/kernel")
        try layer.createDataset("stack/hidden1/kernel", data: ArrayData([Float](repeating: 0, count: 9), shape: [3, 3]))
        try file.close()
        XCTAssertThrowsError(try Model.load(from: path("model.h5"))) { error in
            XCTAssertTrue("\(error)".contains("expected shape [3, 2], found [3, 3]"), "\(error)")
        }
        let loaded = try Model.load(from: path("model.h5"), skipMismatch: true)
        XCTAssertEqual(loaded.layers[0].weights.map(\.value.scalars), model.layers[0].weights.map(\.value.scalars))
    }
}
