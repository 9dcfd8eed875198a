import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// A model of every reshaping, merging and core layer of issue 14 (bilinear and nearest
/// up-sampling, padding and cropping in 2-D and 3-D, the elementwise merges, Dot, Identity,
/// EinsumDense with and without '...'), saved by Keel as .keras and .h5: Keras 3.15.1 loads both
/// and predicts what Keel predicts, so the configs Keel writes are ones Keras rebuilds the same
/// layers from.
final class ReshapingLayersInKerasTests: XCTestCase {
    func testKerasLoadsKeelsFilesAndPredictsTheSame() throws {
        let directory = ProjectPaths.temporaryDirectory("keel-reshaping-layers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let x = Input(shape: [4, 4, 2], name: "image")
        var h = try UpSampling2D(size: [2, 1], interpolation: .bilinear)(x)
        h = try ZeroPadding2D(padding: SpatialPairs([(1, 0), (0, 2)]))(h)
        h = try Cropping2D(cropping: SpatialPairs([(0, 1), (1, 0)]))(h)
        let a = try EinsumDense(partialOutputShape: [nil, nil, 3], equation: "abcd,de->abce", biasAxes: "e",
                                biasInitializer: RandomNormal(seed: 1, stddev: 1))(h)
        let b = try Conv2D(filters: 3, kernelSize: 1)(h)
        let product = try Multiply()([a, b])
        let difference = try Subtract()([a, product])
        let mean = try Average()([a, product, difference])
        let extremes = try Maximum()([mean, try Minimum()([a, difference])])
        let flat = try Flatten()(extremes)
        let cosine = try Dot(axes: 1, normalize: true)([flat, flat])
        let projected = try EinsumDense(partialOutputShape: [3], equation: "...d,de->...e")(h)
        let volume = try Reshape(targetShape: [8, 5, 3, 1])(projected)
        let padded = try ZeroPadding3D(padding: SpatialPairs([(0, 1), (1, 0), (0, 0)]))(volume)
        let grown = try UpSampling3D(size: [1, 2, 1])(try Cropping3D(cropping: SpatialPairs([(1, 0), (0, 0), (0, 1)]))(padded))
        let model = try Model(inputs: [x], outputs: [cosine, try Flatten()(try IdentityLayer()(grown))], name: "reshaping")

        let input = RandomNormal(seed: 3, stddev: 1)([2, 4, 4, 2])
        let expected = model.forward([input])
        let inputPath = directory.appendingPathComponent("image.npy").path
        try NPY.write(input.arrayData, to: inputPath)
        var jobs: [KerasLoadJob] = []
        for format in ["keras", "h5"] {
            let path = directory.appendingPathComponent("reshaping.\(format)").path
            try model.save(to: path)
            jobs.append(KerasLoadJob(file: path, architecture: nil, inputs: [inputPath]))
        }
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
