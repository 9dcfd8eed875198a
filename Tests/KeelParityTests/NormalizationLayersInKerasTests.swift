import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// A model of issue 13's normalization layers, Masking and TimeDistributed, saved by Keel as
/// .keras and .h5: Keras 3.15.1 loads both and predicts (in inference) what Keel predicts, so the
/// configs and weight layouts Keel writes (TimeDistributed's inner layer under `layer`) are ones
/// Keras rebuilds the same layers from.
final class NormalizationLayersInKerasTests: XCTestCase {
    /// Keras 3.15.1 reads a list `axis` from its own legacy .h5 as the last axis (LayerNormalization
    /// and UnitNormalization over [1, 2] come back over -1: a weight shape mismatch, other
    /// outputs), so the .h5 model normalizes the last axis only.
    func testKerasLoadsNormalizationMaskingAndTimeDistributedLayers() throws {
        try assertKerasPredictsLikeKeel(try model(axes: [1, 2]), format: "keras")
        try assertKerasPredictsLikeKeel(try model(axes: -1), format: "h5")
    }

    private func model(axes: Axes) throws -> Model {
        func layer(_ className: String, _ config: JSONObject) throws -> Layer {
            try Registries.layers.make(className, config: config)
        }
        let random: JSONValue = ["class_name": "RandomNormal", "config": ["seed": 5, "mean": 1.0, "stddev": 0.3]]
        let x = Input(shape: [5, 4], name: "steps")
        var h = try layer("Masking", ["mask_value": 0.0])(x)
        h = try layer("LayerNormalization", ["axis": axes.configValue, "gamma_initializer": random,
                                             "beta_initializer": random])(h)
        h = try TimeDistributed(Dense(units: 6, activation: "tanh"))(h)
        h = try layer("GroupNormalization", ["groups": 3, "gamma_initializer": random, "beta_initializer": random])(h)
        h = try layer("RMSNormalization", ["axis": -1])(h)
        h = try layer("UnitNormalization", ["axis": axes.configValue])(h)
        let scaled = try layer("LayerNormalization", ["rms_scaling": true, "gamma_initializer": random])(h)
        return try Model(inputs: [x], outputs: [scaled], name: "normalization")
    }

    private func assertKerasPredictsLikeKeel(_ model: Model, format: String) throws {
        var values = RandomNormal(seed: 6, stddev: 1)([2, 5, 4]).scalars
        for i in 4..<8 { values[i] = 0 }  // a masked step: Masking zeroes it
        let input = Tensor(shape: [2, 5, 4], scalars: values)

        let directory = ProjectPaths.temporaryDirectory("keel-normalization-layers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = model.forward([input])
        let inputPath = directory.appendingPathComponent("steps.npy").path
        try NPY.write(input.arrayData, to: inputPath)
        let path = directory.appendingPathComponent("normalization.\(format)").path
        try model.save(to: path)
        let jobs = [KerasLoadJob(file: path, architecture: nil, inputs: [inputPath])]
        let results = try KerasLoadJob.run(jobs, scratch: directory)
        XCTAssertEqual(results.count, jobs.count)
        for result in results {
            let file = result["file"]?.stringValue ?? "?"
            if let error = result["error"]?.stringValue {
                XCTFail("Keras could not load \(file): \(error)")
                continue
            }
            let predictions = result["predictions"]?.arrayValue ?? []
            XCTAssertEqual(predictions.count, expected.count, "Keras outputs of \(file)")
            for (index, (prediction, wanted)) in zip(predictions, expected).enumerated() {
                Fixtures.assertClose(Fixtures.tensor(prediction), wanted, tolerance: 1e-4, "Keras prediction \(index) of \(file)")
            }
        }
    }
}
