import Foundation
import XCTest
@testable import Keel
import KeelTestSupport

/// Models built of issue 14's (and issue 13's 1-D) layers, saved by Keel as .keras and .h5: Keras 3.15.1 loads both
/// and predicts (in inference) what Keel predicts, so the configs and weights Keel writes are ones
/// Keras rebuilds the same layers from.
final class NewLayersInKerasTests: XCTestCase {
    /// Bilinear and nearest up-sampling, padding and cropping in 2-D and 3-D, the elementwise
    /// merges, Dot, Identity, EinsumDense with and without '...'.
    func testKerasLoadsReshapingAndMergingLayers() throws {
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

        try assertKerasPredictsLikeKeel(model, input: RandomNormal(seed: 3, stddev: 1)([2, 4, 4, 2]))
    }

    /// Depthwise, separable and 3-D convolutions and pooling, the noise and parametric activation
    /// layers, and the preprocessing layers (the random ones are the identity in inference).
    func testKerasLoadsConvolutionNoiseAndPreprocessingLayers() throws {
        func layer(_ className: String, _ config: JSONObject) throws -> Layer {
            try Registries.layers.make(className, config: config)
        }
        let x = Input(shape: [6, 6, 2], name: "image")
        var h = try layer("Rescaling", ["scale": 0.5, "offset": -0.25])(x)
        h = try layer("Normalization", ["axis": -1, "mean": [0.5, -1.0], "variance": [2.0, 0.25]])(h)
        for (name, config) in [("RandomFlip", [:]), ("RandomRotation", ["factor": 0.2]), ("RandomZoom", ["height_factor": 0.3]),
                               ("RandomTranslation", ["height_factor": 0.2, "width_factor": 0.1]),
                               ("RandomContrast", ["factor": 0.4]), ("RandomBrightness", ["factor": 0.3]),
                               ("RandomCrop", ["height": 3, "width": 3, "seed": 7]), ("GaussianNoise", ["stddev": 0.3]),
                               ("GaussianDropout", ["rate": 0.4]), ("AlphaDropout", ["rate": 0.2]),
                               ("SpatialDropout2D", ["rate": 0.5])] as [(String, JSONObject)] {
            h = try layer(name, config)(h)
        }
        h = try layer("DepthwiseConv2D", ["kernel_size": 3, "depth_multiplier": 2, "padding": "same"])(h)
        h = try layer("PReLU", ["alpha_initializer": ["class_name": "RandomUniform", "config": ["seed": 2]], "shared_axes": [1, 2]])(h)
        h = try layer("SeparableConv2D", ["filters": 3, "kernel_size": 3, "depth_multiplier": 2])(h)
        h = try layer("ELU", ["alpha": 0.7])(h)
        h = try layer("Resizing", ["height": 4, "width": 6, "interpolation": "bilinear"])(h)
        let cropped = try layer("CenterCrop", ["height": 4, "width": 4])(h)
        let volume = try Reshape(targetShape: [4, 4, 3, 1])(cropped)
        let convolved = try layer("Conv3D", ["filters": 2, "kernel_size": 2, "padding": "same"])(volume)
        let grown = try layer("Conv3DTranspose", ["filters": 2, "kernel_size": 2, "strides": 2])(convolved)
        let pooled = try layer("AveragePooling3D", ["pool_size": 2])(try layer("MaxPooling3D", ["pool_size": [1, 1, 2], "padding": "same"])(grown))
        let outputs = [try layer("GlobalMaxPooling3D", [:])(pooled), try layer("GlobalAveragePooling3D", ["keepdims": true])(pooled)]
        let model = try Model(inputs: [x], outputs: outputs, name: "vision")
        try assertKerasPredictsLikeKeel(model, input: RandomNormal(seed: 4, stddev: 1)([2, 6, 6, 2]))
    }

    /// The 1-D layers (issue 13): causal dilated and grouped Conv1D, SeparableConv1D,
    /// DepthwiseConv1D, Conv1DTranspose, the 1-D pooling and reshaping layers, RepeatVector and
    /// Permute, channels-first among them.
    func testKerasLoadsSequenceLayers() throws {
        func layer(_ className: String, _ config: JSONObject) throws -> Layer {
            try Registries.layers.make(className, config: config)
        }
        let x = Input(shape: [8, 2], name: "sequence")
        var h = try layer("Conv1D", ["filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2, "groups": 2,
                                     "activation": "tanh"])(x)
        h = try layer("SeparableConv1D", ["filters": 3, "kernel_size": 2, "depth_multiplier": 2, "padding": "same"])(h)
        h = try layer("DepthwiseConv1D", ["kernel_size": 2, "strides": 2, "data_format": "channels_first"])(h)
        h = try layer("Conv1DTranspose", ["filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"])(h)
        h = try layer("ZeroPadding1D", ["padding": [1, 2]])(try layer("Cropping1D", ["cropping": [0, 1]])(h))
        h = try layer("MaxPooling1D", ["pool_size": 2, "strides": 1, "padding": "same"])(h)
        h = try layer("AveragePooling1D", ["pool_size": 3, "strides": 2, "padding": "same"])(h)
        h = try layer("UpSampling1D", ["size": 2])(h)
        let permuted = try layer("Permute", ["dims": [2, 1]])(h)
        let averaged = try layer("GlobalAveragePooling1D", ["keepdims": true])(h)
        let repeated = try layer("RepeatVector", ["n": 2])(try layer("GlobalMaxPooling1D", [:])(permuted))
        let model = try Model(inputs: [x], outputs: [averaged, repeated, permuted], name: "sequence")
        try assertKerasPredictsLikeKeel(model, input: RandomNormal(seed: 5, stddev: 1)([2, 8, 2]))
    }

    private func assertKerasPredictsLikeKeel(_ model: Model, input: Tensor) throws {
        let directory = ProjectPaths.temporaryDirectory("keel-new-layers-\(model.name)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = model.forward([input])
        let inputPath = directory.appendingPathComponent("image.npy").path
        try NPY.write(input.arrayData, to: inputPath)
        var jobs: [KerasLoadJob] = []
        for format in ["keras", "h5"] {
            let path = directory.appendingPathComponent("\(model.name).\(format)").path
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
