import XCTest
@testable import Keel

/// A model config from a file that does not fit together (a kernel larger than its input, an
/// input of the wrong rank, a reshape that loses elements) is a KeelError naming the layer.
final class ModelConfigValidationTests: XCTestCase {
    private func config(_ edit: (inout JSONObject) -> Void) throws -> JSONValue {
        let model = try Sequential([InputLayer(batchShape: [nil, 8, 8, 1]), Conv2D(filters: 2, kernelSize: [3, 3], name: "conv"),
                                    Reshape(targetShape: [72], name: "flat")], name: "small")
        guard var object = ModelConfig.config(of: model).objectValue, var inner = object["config"]?.objectValue,
              var layers = inner["layers"]?.arrayValue else { throw KeelError("test model config", expected: "layers", found: "none") }
        var conv = layers[1].objectValue!, convConfig = conv["config"]!.objectValue!
        var reshape = layers[2].objectValue!, reshapeConfig = reshape["config"]!.objectValue!
        var parts: JSONObject = ["conv": .object(convConfig), "flat": .object(reshapeConfig)]
        edit(&parts)
        convConfig = parts["conv"]!.objectValue!
        reshapeConfig = parts["flat"]!.objectValue!
        conv["config"] = .object(convConfig)
        reshape["config"] = .object(reshapeConfig)
        layers[1] = .object(conv)
        layers[2] = .object(reshape)
        inner["layers"] = .array(layers)
        object["config"] = .object(inner)
        return .object(object)
    }

    private func assertRejected(_ value: JSONValue, mentioning fragments: [String], line: UInt = #line) {
        XCTAssertThrowsError(try ModelConfig.model(from: value), line: line) { error in
            XCTAssertTrue(error is KeelError, "\(error)", line: line)
            for fragment in fragments { XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line) }
        }
    }

    func testTheUneditedConfigLoads() throws {
        XCTAssertEqual(try ModelConfig.model(from: try config { _ in }).layers.count, 2)
    }

    func testKernelLargerThanTheInputIsRejected() throws {
        let value = try config { parts in
            var conv = parts["conv"]!.objectValue!
            conv["kernel_size"] = [20, 20]
            parts["conv"] = .object(conv)
        }
        assertRejected(value, mentioning: ["conv", "kernel"])
    }

    func testReshapeThatLosesElementsIsRejected() throws {
        let value = try config { parts in
            var flat = parts["flat"]!.objectValue!
            flat["target_shape"] = [7, 5]
            parts["flat"] = .object(flat)
        }
        assertRejected(value, mentioning: ["flat", "72"])
    }
}
