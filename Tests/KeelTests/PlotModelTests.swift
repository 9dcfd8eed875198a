import Foundation
import XCTest
import Keel
import KeelTestSupport

/// ModelPlot: the layer diagram of Functional and Sequential models.
final class PlotModelTests: XCTestCase {
    /// The ticket classifier of *Deep Learning with Python* §7, small: three inputs, two outputs.
    private func ticketClassifier() throws -> Model {
        let title = Input(shape: [20], name: "title")
        let body = Input(shape: [20], name: "text_body")
        let tags = Input(shape: [5], name: "tags")
        let features = try Dense(units: 8, activation: "relu", name: "dense")(Concatenate(name: "concatenate")([title, body, tags]))
        let priority = try Dense(units: 1, activation: "sigmoid", name: "priority")(features)
        let department = try Dense(units: 4, activation: "softmax", name: "department")(features)
        return try Model(inputs: [title, body, tags], outputs: [priority, department], name: "ticket_classifier")
    }

    /// The rows of the diagram: maximal runs of pixel rows that hold box borders.
    private func boxRows(_ canvas: Canvas) -> Int {
        var rows = 0
        var inside = false
        let fill = Color(hex: 0xF2F6FB)
        for y in 0..<canvas.height {
            let hasBox = (0..<canvas.width).contains { canvas.color(x: $0, y: y) == fill }
            if hasBox && !inside { rows += 1 }
            inside = hasBox
        }
        return rows
    }

    func testFunctionalModelsAreDrawnInRowsByDepth() throws {
        let canvas = try ModelPlot.render(try ticketClassifier())
        // Inputs, concatenate, dense, and the two outputs side by side.
        XCTAssertEqual(boxRows(canvas), 4)
        let widest = Canvas.textWidth("department (Dense)", scale: 2) + Canvas.textWidth("priority (Dense)", scale: 2)
        XCTAssertGreaterThan(canvas.width, widest)
        let directory = ProjectPaths.temporaryDirectory("keel-model-plot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.png").path
        try ModelPlot.write(try ticketClassifier(), to: path)
        let image = try PNGImage.read(path)
        XCTAssertEqual([image.width, image.height], [canvas.width, canvas.height])
    }

    func testSequentialModelsAreAColumnWithArrows() throws {
        let model = try Sequential([InputLayer(batchShape: [nil, 4]), Dense(units: 3, name: "hidden"), Dense(units: 2, name: "out")])
        let canvas = try ModelPlot.render(model)
        XCTAssertEqual(boxRows(canvas), 3)
        // An arrow runs down the middle through each 40-pixel gap between boxes.
        let middle = (canvas.width / 2 - 1)...(canvas.width / 2 + 1)
        let shaded = (0..<canvas.height).filter { y in middle.contains { canvas.color(x: $0, y: y).red < 128 } }.count
        XCTAssertGreaterThan(shaded, 2 * 35)
    }

    func testSubclassedModelsCannotBePlotted() {
        XCTAssertThrowsError(try ModelPlot.render(Model(name: "subclassed")))
    }
}
