import Foundation
import XCTest
import Keel

/// The contract every registered layer keeps (Keras's `run_layer_test`), run from the registry
/// so a new class cannot skip it: its config round-trips with Keras's key order; the output shape
/// it infers on symbolic inputs is the shape it computes; one SGD step moves every trainable
/// weight; inputs it cannot take throw a KeelError naming it; a one-layer model saved as `.h5`
/// and `.keras` loads back computing the same outputs. A registered class with no entry in
/// `cases` fails.
final class LayerContractTests: XCTestCase {
    struct Case {
        /// The least the class needs; the round trip fills in the rest.
        var config: JSONObject
        /// Input shapes without the batch dimension.
        var inputs: [[Int]]
        /// Inputs (shapes without the batch dimension) the layer must refuse: a wrong rank, or a
        /// wrong number of inputs for layers that take any rank.
        var refused: [[Int]]
        /// Integer ids below this bound instead of floats (Embedding).
        var idsBelow: Int? = nil
        /// False for InputLayer, which is a model's entry rather than something called.
        var callable = true
        /// False where Keras's `get_config` does not start with name, trainable, dtype (ELU's
        /// comes from its constructor's arguments; the spatial dropouts and Discretization write their own).
        var baseKeysFirst = true
    }

    static let cases: [String: Case] = [
        "InputLayer": Case(config: ["batch_shape": [nil, 3]], inputs: [[3]], refused: [], callable: false),
        "Dense": Case(config: ["units": 3, "kernel_regularizer": "l2"], inputs: [[4]], refused: [[]]),
        "Activation": Case(config: ["activation": "tanh"], inputs: [[4]], refused: [[4], [4]]),
        "Dropout": Case(config: ["rate": 0.25, "noise_shape": [nil, 1], "seed": 3], inputs: [[4]], refused: [[4, 2]]),
        "Flatten": Case(config: [:], inputs: [[2, 3]], refused: [[2], [2]]),
        "Reshape": Case(config: ["target_shape": [2, -1]], inputs: [[6]], refused: [[5]]),
        "Conv2D": Case(config: ["filters": 4, "kernel_size": 3, "padding": "same", "groups": 2], inputs: [[5, 5, 2]],
                       refused: [[8]]),
        "Conv2DTranspose": Case(config: ["filters": 2, "kernel_size": 3, "strides": 2], inputs: [[3, 3, 2]], refused: [[8]]),
        "MaxPooling2D": Case(config: ["pool_size": 2], inputs: [[4, 4, 2]], refused: [[8]]),
        "AveragePooling2D": Case(config: ["pool_size": 2, "strides": 1], inputs: [[3, 3, 2]], refused: [[8]]),
        "GlobalMaxPooling2D": Case(config: [:], inputs: [[3, 3, 2]], refused: [[8]]),
        "GlobalAveragePooling2D": Case(config: ["keepdims": true], inputs: [[3, 3, 2]], refused: [[8]]),
        "DepthwiseConv2D": Case(config: ["kernel_size": 3, "depth_multiplier": 2, "padding": "same"], inputs: [[5, 5, 2]],
                                refused: [[8]]),
        "SeparableConv2D": Case(config: ["filters": 3, "kernel_size": 2, "depth_multiplier": 2, "strides": 2],
                                inputs: [[5, 5, 2]], refused: [[8]]),
        "Conv3D": Case(config: ["filters": 4, "kernel_size": 2, "padding": "same", "groups": 2], inputs: [[3, 4, 3, 2]],
                       refused: [[5, 5, 2]]),
        "Conv3DTranspose": Case(config: ["filters": 2, "kernel_size": 3, "strides": 2], inputs: [[2, 3, 2, 2]],
                                refused: [[3, 3, 2]]),
        "MaxPooling3D": Case(config: ["pool_size": 2], inputs: [[4, 4, 4, 2]], refused: [[4, 4, 2]]),
        "AveragePooling3D": Case(config: ["pool_size": 2, "strides": 1, "padding": "same"], inputs: [[3, 3, 3, 2]],
                                 refused: [[4, 4, 2]]),
        "GlobalMaxPooling3D": Case(config: [:], inputs: [[2, 3, 3, 2]], refused: [[3, 3, 2]]),
        "GlobalAveragePooling3D": Case(config: ["keepdims": true], inputs: [[2, 3, 3, 2]], refused: [[3, 3, 2]]),
        "BatchNormalization": Case(config: ["momentum": 0.9], inputs: [[4]], refused: [[]]),
        "Concatenate": Case(config: ["axis": -1], inputs: [[2], [3]], refused: [[2]]),
        "Add": Case(config: [:], inputs: [[3], [3]], refused: [[3]]),
        "LeakyReLU": Case(config: ["negative_slope": 0.1], inputs: [[4]], refused: [[4], [4]]),
        "ReLU": Case(config: ["max_value": 6.0], inputs: [[4]], refused: [[4], [4]]),
        "Softmax": Case(config: ["axis": [1, 2]], inputs: [[2, 3]], refused: [[4]]),
        "Embedding": Case(config: ["input_dim": 5, "output_dim": 3], inputs: [[4]], refused: [[4], [4]], idsBelow: 5),
        "ActivityRegularization": Case(config: ["l1": 0.01], inputs: [[4]], refused: [[4], [4]]),
        // Noise layers and parametric activations (issue 14).
        "GaussianNoise": Case(config: ["stddev": 0.1, "seed": 3], inputs: [[4]], refused: [[4], [4]]),
        "GaussianDropout": Case(config: ["rate": 0.3, "seed": 3], inputs: [[4]], refused: [[4], [4]]),
        "AlphaDropout": Case(config: ["rate": 0.2, "noise_shape": [nil, 1], "seed": 3], inputs: [[4]], refused: [[4, 2]]),
        "SpatialDropout1D": Case(config: ["rate": 0.25, "seed": 3], inputs: [[5, 3]], refused: [[8]], baseKeysFirst: false),
        "SpatialDropout2D": Case(config: ["rate": 0.25, "data_format": "channels_first"], inputs: [[2, 3, 3]],
                                 refused: [[8]], baseKeysFirst: false),
        "SpatialDropout3D": Case(config: ["rate": 0.25], inputs: [[2, 2, 2, 3]], refused: [[8]], baseKeysFirst: false),
        "ELU": Case(config: ["alpha": 0.5], inputs: [[4]], refused: [[4], [4]], baseKeysFirst: false),
        "PReLU": Case(config: ["shared_axes": [1], "alpha_initializer": "ones"], inputs: [[3, 4]], refused: [[]]),
        // Preprocessing.
        "Rescaling": Case(config: ["scale": 0.5, "offset": 1.0], inputs: [[4]], refused: [[4], [4]]),
        "Normalization": Case(config: ["axis": -1], inputs: [[3]], refused: [[3], [3]]),
        "Resizing": Case(config: ["height": 3, "width": 2], inputs: [[4, 5, 2]], refused: [[8]]),
        "CenterCrop": Case(config: ["height": 2, "width": 3], inputs: [[4, 5, 2]], refused: [[8]]),
        "RandomCrop": Case(config: ["height": 2, "width": 2, "seed": 3], inputs: [[4, 4, 2]], refused: [[8]]),
        "RandomFlip": Case(config: ["seed": 1], inputs: [[4, 4, 2]], refused: [[8]]),
        "RandomRotation": Case(config: ["factor": 0.2, "seed": 1], inputs: [[4, 4, 2]], refused: [[8]]),
        "RandomZoom": Case(config: ["height_factor": 0.2, "seed": 1], inputs: [[4, 4, 2]], refused: [[8]]),
        "RandomTranslation": Case(config: ["height_factor": 0.1, "width_factor": 0.2, "seed": 1], inputs: [[4, 4, 2]],
                                  refused: [[8]]),
        "RandomContrast": Case(config: ["factor": 0.3, "seed": 1], inputs: [[4, 4, 2]], refused: [[8]]),
        "RandomBrightness": Case(config: ["factor": 0.2, "seed": 1], inputs: [[4, 4, 2]], refused: [[8]]),
        "CategoryEncoding": Case(config: ["num_tokens": 5, "output_mode": "count"], inputs: [[3]], refused: [[3, 2]],
                                 idsBelow: 5),
        "Discretization": Case(config: ["bin_boundaries": [-0.5, 0.0, 0.5]], inputs: [[4]], refused: [[4], [4]],
                               baseKeysFirst: false),
        "IntegerLookup": Case(config: ["vocabulary": [0, 2, 4], "output_mode": "multi_hot"], inputs: [[3]], refused: [[3, 2]],
                              idsBelow: 6),
        // Reshaping, merging and core layers (issue 14).
        "UpSampling2D": Case(config: ["size": [2, 3], "interpolation": "bilinear"], inputs: [[3, 4, 2]], refused: [[8]]),
        "UpSampling3D": Case(config: ["size": [2, 1, 2]], inputs: [[2, 3, 2, 2]], refused: [[3, 3, 2]]),
        "ZeroPadding2D": Case(config: ["padding": [[1, 2], [0, 1]]], inputs: [[3, 3, 2]], refused: [[8]]),
        "ZeroPadding3D": Case(config: ["padding": 1], inputs: [[2, 2, 2, 1]], refused: [[3, 3, 2]]),
        "Cropping2D": Case(config: ["cropping": [[1, 0], [0, 2]]], inputs: [[4, 5, 2]], refused: [[1, 5, 2]]),
        "Cropping3D": Case(config: ["cropping": 1], inputs: [[3, 3, 4, 1]], refused: [[3, 2, 4, 1]]),
        "Multiply": Case(config: [:], inputs: [[3], [3]], refused: [[3]]),
        "Subtract": Case(config: [:], inputs: [[3], [1]], refused: [[3], [3], [3]]),
        "Average": Case(config: [:], inputs: [[3], [3], [3]], refused: [[3], [2]]),
        "Maximum": Case(config: [:], inputs: [[2, 3], [2, 3]], refused: [[3]]),
        "Minimum": Case(config: [:], inputs: [[2, 3], [2, 3]], refused: [[3]]),
        "Dot": Case(config: ["axes": [1, 2], "normalize": true], inputs: [[3, 4], [2, 3]], refused: [[3, 4], [2, 4]]),
        "Identity": Case(config: [:], inputs: [[4]], refused: [[4], [4]]),
        "EinsumDense": Case(config: ["equation": "abc,cde->abde", "output_shape": [nil, 3, 2], "bias_axes": "de"],
                            inputs: [[2, 4]], refused: [[4]]),
        "Lambda": Case(config: ["function": "contract_double"], inputs: [[4]], refused: [[4], [4]]),
        // 1-D layers (issue 13).
        "Conv1D": Case(config: ["filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2, "groups": 2],
                       inputs: [[6, 2]], refused: [[8]]),
        "Conv1DTranspose": Case(config: ["filters": 2, "kernel_size": 3, "strides": 2], inputs: [[4, 3]], refused: [[8]]),
        "SeparableConv1D": Case(config: ["filters": 3, "kernel_size": 2, "depth_multiplier": 2, "strides": 2],
                                inputs: [[6, 2]], refused: [[8]]),
        "DepthwiseConv1D": Case(config: ["kernel_size": 3, "depth_multiplier": 2, "padding": "same"], inputs: [[5, 2]],
                                refused: [[8]]),
        "MaxPooling1D": Case(config: ["pool_size": 2], inputs: [[6, 2]], refused: [[8]]),
        "AveragePooling1D": Case(config: ["pool_size": 3, "strides": 1, "padding": "same"], inputs: [[5, 2]], refused: [[8]]),
        "GlobalMaxPooling1D": Case(config: [:], inputs: [[4, 3]], refused: [[8]]),
        "GlobalAveragePooling1D": Case(config: ["keepdims": true], inputs: [[4, 3]], refused: [[8]]),
        "UpSampling1D": Case(config: ["size": 3], inputs: [[4, 2]], refused: [[8]]),
        "ZeroPadding1D": Case(config: ["padding": [1, 2]], inputs: [[3, 2]], refused: [[8]]),
        "Cropping1D": Case(config: ["cropping": [1, 2]], inputs: [[5, 2]], refused: [[3, 2]]),
        "RepeatVector": Case(config: ["n": 3], inputs: [[4]], refused: [[4, 2]]),
        "Permute": Case(config: ["dims": [2, 1]], inputs: [[3, 4]], refused: [[3]]),
        // Attention (issue 13).
        "MultiHeadAttention": Case(config: ["num_heads": 2, "key_dim": 3, "value_dim": 2, "use_bias": false],
                                   inputs: [[3, 4], [5, 2], [5, 3]], refused: [[3, 4], [5, 2], [4, 3]]),
        "Attention": Case(config: ["use_scale": true, "score_mode": "concat"], inputs: [[3, 4], [5, 2], [5, 4]],
                          refused: [[3, 4], [5, 2], [5, 3]]),
        "AdditiveAttention": Case(config: [:], inputs: [[3, 4], [5, 4]], refused: [[3, 4]]),
        // Normalization, masking and TimeDistributed (issue 13).
        "LayerNormalization": Case(config: ["axis": [1, 2], "gamma_regularizer": "l2"], inputs: [[3, 4]], refused: [[4]]),
        "GroupNormalization": Case(config: ["groups": 2], inputs: [[3, 4]], refused: [[3, 5]]),
        "RMSNormalization": Case(config: ["axis": -1], inputs: [[3, 4]], refused: [[4], [4]]),
        "UnitNormalization": Case(config: ["axis": [1, 2]], inputs: [[3, 4]], refused: [[4]]),
        "Masking": Case(config: ["mask_value": 0.5], inputs: [[3, 4]], refused: [[]]),
        "TimeDistributed": Case(config: ["layer": ["class_name": "Dense", "config": ["units": 2]]], inputs: [[3, 4]],
                                refused: [[4]]),
        // Recurrent layers (issue 13). Cells run inside an RNN, not on their own in a graph.
        "SimpleRNNCell": Case(config: ["units": 3], inputs: [[4]], refused: [], callable: false),
        "LSTMCell": Case(config: ["units": 3], inputs: [[4]], refused: [], callable: false),
        "GRUCell": Case(config: ["units": 3, "reset_after": false], inputs: [[4]], refused: [], callable: false),
        "StackedRNNCells": Case(config: ["cells": [["class_name": "SimpleRNNCell", "config": ["units": 2]],
                                                   ["class_name": "LSTMCell", "config": ["units": 3]]]],
                                inputs: [[4]], refused: [], callable: false),
        "RNN": Case(config: ["cell": ["class_name": "StackedRNNCells", "config": [
                        "cells": [["class_name": "SimpleRNNCell", "config": ["units": 2]],
                                  ["class_name": "GRUCell", "config": ["units": 3]]]]],
                             "return_sequences": true],
                    inputs: [[5, 4]], refused: [[4]]),
        "SimpleRNN": Case(config: ["units": 3, "go_backwards": true, "kernel_regularizer": "l2"], inputs: [[5, 4]],
                          refused: [[4]]),
        "LSTM": Case(config: ["units": 3, "return_sequences": true, "dropout": 0.2, "recurrent_dropout": 0.2, "seed": 3],
                     inputs: [[5, 4]], refused: [[4]]),
        "GRU": Case(config: ["units": 3, "reset_after": false], inputs: [[5, 4]], refused: [[4]]),
        "Bidirectional": Case(config: ["layer": ["class_name": "LSTM", "config": ["units": 2, "return_sequences": true]],
                                       "merge_mode": "concat"],
                              inputs: [[5, 4]], refused: [[4]]),
    ]

    /// The function the Lambda case names, registered as a user registers one before loading.
    override class func setUp() {
        super.setUp()
        LambdaFunctions.register("contract_double") { $0 * 2 }
    }

    func testEveryRegisteredLayerKeepsTheContract() throws {
        let classNames = Registries.layers.classNames
        XCTAssertFalse(classNames.isEmpty)
        for className in classNames {
            // Layers the test suite registers for its own tests (LayerRegistryTests) are not Keel's.
            if Registries.layers.entry(named: className)?.origin == "test" { continue }
            guard let contract = Self.cases[className] else {
                XCTFail("no contract case for the registered layer '\(className)': add one to LayerContractTests.cases")
                continue
            }
            do {
                try checkConfigRoundTrip(className, contract)
                try checkSavedModelsReproduceTheOutputs(className, contract)
                guard contract.callable else { continue }
                try checkSymbolicShapeIsTheComputedShape(className, contract)
                try checkOneStepMovesEveryTrainableWeight(className, contract)
                try checkRefusedInputsThrow(className, contract)
            } catch {
                XCTFail("\(className): \(error)")
            }
        }
    }

    private func make(_ className: String, _ contract: Case) throws -> Layer {
        try Registries.layers.make(className, config: contract.config)
    }

    private func symbolicInputs(_ contract: Case) -> [SymbolicTensor] {
        contract.inputs.map { Input(shape: $0, dtype: contract.idsBelow == nil ? .float32 : .int32) }
    }

    private func values(_ contract: Case, seed: Int = 1) -> [Tensor] {
        contract.inputs.enumerated().map { i, shape in
            let full = [2] + shape
            if let bound = contract.idsBelow {
                return Tensor(shape: full, int32s: (0..<full.reduce(1, *)).map { Int32(($0 * 3 + i) % bound) })
            }
            return RandomNormal(seed: seed + i, stddev: 1)(full)
        }
    }

    private func checkConfigRoundTrip(_ className: String, _ contract: Case) throws {
        let written = try make(className, contract).config
        let rebuilt = try Registries.layers.make(className, config: written)
        XCTAssertEqual(JSONValue.object(rebuilt.config).serialized(), JSONValue.object(written).serialized(),
                       "\(className): config round trip (values and key order)")
        if className != "InputLayer" && contract.baseKeysFirst {
            XCTAssertEqual(Array(written.keys.prefix(3)), ["name", "trainable", "dtype"], "\(className): base keys first")
        }
    }

    private func checkSymbolicShapeIsTheComputedShape(_ className: String, _ contract: Case) throws {
        let layer = try make(className, contract)
        let inputs = symbolicInputs(contract)
        let symbolic = inputs.count == 1 ? try layer(inputs[0]) : try layer(inputs)
        let computed = layer(values(contract), training: false)
        XCTAssertEqual(symbolic.shape.count, computed.rank, "\(className): rank of the inferred shape")
        XCTAssertEqual(symbolic.shape.map { $0 ?? 2 }, computed.shape, "\(className): inferred \(symbolic.shape)")
        XCTAssertNil(symbolic.shape.first ?? nil, "\(className): the batch dimension stays unknown")
        XCTAssertEqual(symbolic.dtype, computed.dtype, "\(className): inferred dtype")
    }

    private func checkOneStepMovesEveryTrainableWeight(_ className: String, _ contract: Case) throws {
        let layer = try make(className, contract)
        let x = values(contract)
        layer.buildIfNeeded(inputShapes: x.map(\.shape))
        let weights = layer.trainableWeights
        guard !weights.isEmpty else { return }
        let before = weights.map(\.value.scalars)
        let tape = GradientTape()
        let loss = tape.record { () -> Tensor in
            let output = layer(x, training: true)
            return (output * RandomNormal(seed: 9, stddev: 1)(output.shape)).sum()
        }
        SGD(learningRate: 0.1).apply(tape.gradient(of: loss, wrt: weights), to: weights)
        for (weight, old) in zip(weights, before) {
            XCTAssertNotEqual(weight.value.scalars, old, "\(className): one SGD step leaves '\(weight.name)' unchanged")
        }
    }

    private func checkRefusedInputsThrow(_ className: String, _ contract: Case) throws {
        let layer = try make(className, contract)
        let refused = contract.refused.map { Input(shape: $0, dtype: contract.idsBelow == nil ? .float32 : .int32) }
        XCTAssertThrowsError(try layer(refused), "\(className) accepted input shapes \(contract.refused)") { error in
            XCTAssertTrue(error is KeelError, "\(className): \(error)")
            XCTAssertTrue("\(error)".contains(layer.nameForMessages), "\(className): the error names the layer: \(error)")
            XCTAssertTrue("\(error)".contains("found input shape"), "\(className): the error shows the shapes: \(error)")
        }
        XCTAssertTrue(layer.inboundNodes.isEmpty, "\(className): a refused call records no node")
    }

    private func checkSavedModelsReproduceTheOutputs(_ className: String, _ contract: Case) throws {
        let inputs = symbolicInputs(contract)
        let output = contract.callable ? try make(className, contract)(inputs) : inputs[0]
        let model = try Model(inputs: inputs, outputs: [output], name: "contract_\(Naming.snakeCase(className))")
        let x = values(contract, seed: 5)
        let expected = model.forward(x)[0]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in ["h5", "keras"] {
            let path = directory.appendingPathComponent("model.\(format)").path
            try model.save(to: path)
            let loaded = try Model.load(from: path)
            XCTAssertEqual(loaded.layers.map { type(of: $0).kerasClassName }, model.layers.map { type(of: $0).kerasClassName },
                           "\(className) .\(format): layers")
            let actual = loaded.forward(x)[0]
            XCTAssertEqual(actual.shape, expected.shape, "\(className) .\(format): output shape")
            let same = actual.dtype == .int32 ? actual.int32Scalars == expected.int32Scalars
                : zip(actual.scalars, expected.scalars).allSatisfy { abs($0 - $1) <= 1e-6 }
            XCTAssertTrue(same, "\(className) .\(format): the loaded model computes other outputs")
        }
    }
}
