import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// `Resizing` with `pad_to_aspect_ratio` or `antialias` gives what Keras 3.15.1 (run now, jax
/// backend) gives on the same images: padding the height or the width (odd margins included),
/// fill values, nearest and bilinear, channels-first, an unbatched image, images already of the
/// aspect; antialiased shrinking of both or one axis, growing, nearest.
final class ResizingAspectAndAntialiasParityTests: XCTestCase {
    struct Case {
        let shape: [Int]
        let height: Int, width: Int
        let interpolation: String
        let fillValue: Double
        var dataFormat = "channels_last"
        var pad = true
        var antialias = false
    }

    static let cases: [Case] = [
        Case(shape: [2, 5, 8, 3], height: 6, width: 6, interpolation: "bilinear", fillValue: 0),
        Case(shape: [2, 9, 4, 2], height: 3, width: 5, interpolation: "nearest", fillValue: 0.5),
        Case(shape: [7, 3, 1], height: 4, width: 4, interpolation: "bilinear", fillValue: -1),
        Case(shape: [1, 2, 4, 10], height: 5, width: 5, interpolation: "bilinear", fillValue: 2, dataFormat: "channels_first"),
        Case(shape: [1, 4, 8, 1], height: 2, width: 4, interpolation: "bilinear", fillValue: 3),
        Case(shape: [1, 6, 5, 2], height: 8, width: 3, interpolation: "nearest", fillValue: -0.25),
        // antialias: shrinking both axes, one axis, growing (no effect), nearest (ignored), with padding.
        Case(shape: [2, 9, 7, 2], height: 4, width: 3, interpolation: "bilinear", fillValue: 0, pad: false, antialias: true),
        Case(shape: [1, 5, 12, 1], height: 5, width: 4, interpolation: "bilinear", fillValue: 0, pad: false, antialias: true),
        Case(shape: [1, 3, 3, 1], height: 6, width: 5, interpolation: "bilinear", fillValue: 0, pad: false, antialias: true),
        Case(shape: [1, 8, 8, 1], height: 3, width: 3, interpolation: "nearest", fillValue: 0, pad: false, antialias: true),
        Case(shape: [1, 20, 6, 3], height: 5, width: 4, interpolation: "bilinear", fillValue: 1.5, antialias: true),
    ]

    static func images(_ shape: [Int], seed: UInt64) -> [Float] {
        DiscretizationAdaptParityTests.uniform(shape.reduce(1, *), seed: seed).map { $0 * 4 - 1 }
    }

    func testPadToAspectRatioAndAntialiasMatchKeras() throws {
        let keras = try Self.kerasOutputs()
        XCTAssertEqual(keras.count, Self.cases.count)
        for (index, (testCase, expected)) in zip(Self.cases, keras).enumerated() {
            let label = "case \(index) \(testCase.shape) → \(testCase.height)×\(testCase.width) \(testCase.interpolation)"
            let layer = try Registries.layers.make("Resizing", config: [
                "height": .int(testCase.height), "width": .int(testCase.width),
                "interpolation": .string(testCase.interpolation), "pad_to_aspect_ratio": .bool(testCase.pad),
                "antialias": .bool(testCase.antialias),
                "fill_value": .double(testCase.fillValue), "data_format": .string(testCase.dataFormat)])
            let output = layer(Tensor(shape: testCase.shape, scalars: Self.images(testCase.shape, seed: UInt64(index + 10))))
            guard let shape = expected["shape"]?.arrayValue?.compactMap(\.intValue),
                  let values = expected["values"]?.arrayValue?.compactMap(\.doubleValue) else {
                return XCTFail("\(label): \(expected)")
            }
            XCTAssertEqual(output.shape, shape, label)
            XCTAssertEqual(output.count, values.count, label)
            let worst = zip(output.scalars, values).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-5, "\(label): largest difference from Keras")
        }
    }

    func testResizingRefusesWhatKerasRefuses() {
        XCTAssertThrowsError(try Registries.layers.make("Resizing", config: [
            "height": 2, "width": 3, "pad_to_aspect_ratio": true, "crop_to_aspect_ratio": true]))
        XCTAssertThrowsError(try Registries.layers.make("Resizing", config: [
            "height": 2, "width": 3, "pad_to_aspect_ratio": true, "fill_mode": "reflect"]))
    }

    static func kerasOutputs() throws -> [JSONObject] {
        let jobs = JSONValue.array(cases.enumerated().map { index, testCase in
            ["shape": .array(testCase.shape.map { .int($0) }), "height": .int(testCase.height), "width": .int(testCase.width),
             "interpolation": .string(testCase.interpolation), "fill_value": .double(testCase.fillValue),
             "data_format": .string(testCase.dataFormat), "pad": .bool(testCase.pad), "antialias": .bool(testCase.antialias),
             "data": .array(images(testCase.shape, seed: UInt64(index + 10)).map { .double(Double($0)) })]
        })
        return try KerasScriptResults.run(script, cases: jobs, marker: marker, what: "resizing with pad_to_aspect_ratio")
    }

    static let marker = "KEEL-RESIZING "

    static let script = """
    import json, os, sys
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import numpy as np
    import keras
    assert keras.__version__ == "3.15.1", keras.__version__
    results = []
    for case in json.load(open(sys.argv[1])):
        images = np.array(case["data"], dtype="float32").reshape(case["shape"])
        layer = keras.layers.Resizing(case["height"], case["width"], interpolation=case["interpolation"],
                                      pad_to_aspect_ratio=case["pad"], fill_value=case["fill_value"],
                                      antialias=case["antialias"],
                                      data_format=case["data_format"])
        out = np.asarray(layer(images))
        results.append({"shape": list(out.shape), "values": out.reshape(-1).astype("float64").tolist()})
    print("KEEL-RESIZING " + json.dumps(results))
    """
}
