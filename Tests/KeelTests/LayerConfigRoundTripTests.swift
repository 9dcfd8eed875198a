import XCTest
import Keel

/// Every built-in layer rebuilt from its own config gives the same config back, and the Swift
/// initializers write what Keras writes for the same arguments.
final class LayerConfigRoundTripTests: XCTestCase {
    /// The least each class needs; the round trip fills in and checks everything else.
    static let minimalConfigs: [String: JSONObject] = [
        "InputLayer": ["batch_shape": [nil, 4]],
        "Dense": ["units": 3],
        "Activation": ["activation": "tanh"],
        "Dropout": ["rate": 0.25, "noise_shape": [nil, 1], "seed": 3],
        "Flatten": [:],
        "Reshape": ["target_shape": [2, -1]],
        "Conv2D": ["filters": 4, "kernel_size": 3, "strides": 2, "padding": "SAME", "groups": 2,
                   "kernel_regularizer": ["class_name": "L2", "config": ["l2": 0.001]]],
        "Conv2DTranspose": ["filters": 2, "kernel_size": [4, 4], "strides": [2, 2], "output_padding": [1, 1]],
        "MaxPooling2D": ["pool_size": 3, "strides": nil, "padding": "same"],
        "AveragePooling2D": ["pool_size": [2, 2], "strides": [1, 1]],
        "GlobalMaxPooling2D": ["keepdims": true],
        "GlobalAveragePooling2D": ["data_format": "channels_first"],
        "DepthwiseConv2D": ["kernel_size": 3, "depth_multiplier": 2, "padding": "same",
                            "depthwise_regularizer": "l2", "depthwise_initializer": "he_normal"],
        "SeparableConv2D": ["filters": 4, "kernel_size": [3, 2], "dilation_rate": 2, "pointwise_constraint": "non_neg"],
        "Conv3D": ["filters": 4, "kernel_size": 3, "strides": [1, 2, 1], "padding": "SAME", "groups": 2],
        "Conv3DTranspose": ["filters": 2, "kernel_size": [3, 3, 2], "strides": 2, "output_padding": [1, 0, 1]],
        "MaxPooling3D": ["pool_size": 3, "strides": nil, "padding": "same"],
        "AveragePooling3D": ["pool_size": [2, 2, 1], "strides": [1, 1, 1]],
        "GlobalMaxPooling3D": ["keepdims": true],
        "GlobalAveragePooling3D": ["data_format": "channels_first"],
        "BatchNormalization": ["momentum": 0.9, "center": false, "gamma_regularizer": "l2"],
        "Concatenate": ["axis": 1],
        "Add": [:],
        "LeakyReLU": ["alpha": 0.1],
        "ReLU": ["max_value": 6.0],
        "Softmax": ["axis": [1, 2]],
        "Embedding": ["input_dim": 10, "output_dim": 4, "embeddings_initializer": "he_uniform"],
        "ActivityRegularization": ["l1": 0.01],
        // Noise layers and parametric activations (issue 14).
        "GaussianNoise": ["stddev": 0.2, "seed": 1],
        "GaussianDropout": ["rate": 0.3],
        "AlphaDropout": ["rate": 0.1, "noise_shape": [nil, 1]],
        "SpatialDropout1D": ["rate": 0.5, "seed": 2],
        "SpatialDropout2D": ["rate": 0.5, "data_format": "channels_first"],
        "SpatialDropout3D": ["rate": 0.5],
        "ELU": ["alpha": 0.7],
        "PReLU": ["shared_axes": 1, "alpha_regularizer": "l2", "alpha_constraint": "non_neg"],
        // Preprocessing.
        "Rescaling": ["scale": [0.5, 2], "offset": 1],
        "Normalization": ["axis": nil, "mean": 0.5, "variance": 2.0, "invert": true],
        "Resizing": ["height": 3, "width": 4, "interpolation": "nearest", "crop_to_aspect_ratio": true],
        "CenterCrop": ["height": 2, "width": 3, "data_format": "channels_first"],
        "RandomCrop": ["height": 2, "width": 2, "seed": 5],
        "RandomFlip": ["mode": "vertical", "seed": 1],
        "RandomRotation": ["factor": 0.25, "fill_mode": "constant", "fill_value": 1.5, "interpolation": "nearest"],
        "RandomZoom": ["height_factor": [-0.2, 0.3], "width_factor": 0.1, "fill_mode": "wrap"],
        "RandomTranslation": ["height_factor": 0.2, "width_factor": [0.1, -0.3], "fill_mode": "nearest"],
        "RandomContrast": ["factor": 0.4, "value_range": [0, 1]],
        "RandomBrightness": ["factor": [0.1, -0.2], "value_range": [1.0, 0.0]],
        "CategoryEncoding": ["num_tokens": 6, "output_mode": "binary"],
        "Discretization": ["bin_boundaries": [0.0, 1.5], "output_mode": "one_hot"],
        "IntegerLookup": ["vocabulary": [4, 1, 9], "num_oov_indices": 2],
        // Reshaping, merging and core layers (issue 14), in the shorthands Keras accepts.
        "UpSampling2D": ["size": 3, "interpolation": "bilinear"],
        "UpSampling3D": ["size": [1, 2, 3]],
        "ZeroPadding2D": ["padding": [1, 2]],
        "ZeroPadding3D": ["padding": [[1, 0], [0, 2], [1, 1]], "data_format": "channels_first"],
        "Cropping2D": ["cropping": 1],
        "Cropping3D": ["cropping": [1, 0, 2]],
        "Multiply": [:],
        "Subtract": [:],
        "Average": [:],
        "Maximum": [:],
        "Minimum": [:],
        "Dot": ["axes": [1, -1], "normalize": true],
        "Identity": [:],
        "EinsumDense": ["equation": "abc,cd->abd", "output_shape": [nil, 4], "bias_axes": "d", "activation": "relu"],
        "Lambda": ["function": "round_trip_double", "output_shape": [4]],
        // 1-D layers (issue 13), in the shorthands Keras accepts.
        "Conv1D": ["filters": 4, "kernel_size": 3, "padding": "CAUSAL", "dilation_rate": 2, "groups": 2],
        "Conv1DTranspose": ["filters": 2, "kernel_size": [4], "strides": 2, "output_padding": 1],
        "SeparableConv1D": ["filters": 4, "kernel_size": 3, "depth_multiplier": 2, "pointwise_constraint": "non_neg"],
        "DepthwiseConv1D": ["kernel_size": 3, "depth_multiplier": 2, "data_format": "channels_first"],
        "MaxPooling1D": ["pool_size": 3],
        "AveragePooling1D": ["pool_size": [2], "strides": 1, "padding": "same"],
        "GlobalMaxPooling1D": ["keepdims": true],
        "GlobalAveragePooling1D": ["data_format": "channels_first"],
        "UpSampling1D": ["size": 3],
        "ZeroPadding1D": ["padding": 2],
        "Cropping1D": ["cropping": [0, 2]],
        "RepeatVector": ["n": 4],
        "Permute": ["dims": [3, 1, 2]],
        // Attention (issue 13).
        "MultiHeadAttention": ["num_heads": 2, "key_dim": 3, "output_shape": 5, "attention_axes": 1, "use_gate": true,
                               "activity_regularizer": "l2", "flash_attention": false],
        "Attention": ["use_scale": true, "score_mode": "concat", "dropout": 0.1, "seed": 4],
        "AdditiveAttention": ["use_scale": false, "dropout": 0.2],
        // Normalization, masking and TimeDistributed (issue 13).
        "LayerNormalization": ["axis": [2, 1], "epsilon": 1e-5, "rms_scaling": true, "beta_regularizer": "l1"],
        "GroupNormalization": ["groups": -1, "axis": 1, "center": false, "gamma_constraint": "non_neg"],
        "RMSNormalization": ["axis": [1, 2], "epsilon": 1e-4],
        "UnitNormalization": ["axis": 1],
        "Masking": ["mask_value": -1.0],
        "TimeDistributed": ["layer": ["module": "keras.layers", "class_name": "Conv2D",
                                      "config": ["filters": 2, "kernel_size": 3, "name": "conv"], "registered_name": nil,
                                      "build_config": ["input_shape": [nil, 5, 5, 1]]]],
        // Recurrent layers and cells (issue 13).
        "SimpleRNNCell": ["units": 3, "dropout": 1.5, "seed": 2],
        "LSTMCell": ["units": 3, "unit_forget_bias": false, "recurrent_activation": "hard_sigmoid"],
        "GRUCell": ["units": 2, "reset_after": false, "recurrent_regularizer": "l2"],
        "StackedRNNCells": ["cells": [["class_name": "SimpleRNNCell", "config": ["units": 2]],
                                      ["class_name": "GRUCell", "config": ["units": 3]]]],
        "RNN": ["cell": ["module": "keras.layers", "class_name": "LSTMCell", "config": ["units": 2],
                         "registered_name": nil, "build_config": ["input_shape": [nil, 3]]],
                "return_sequences": true, "zero_output_for_mask": true],
        "SimpleRNN": ["units": 3, "go_backwards": true, "seed": 4],
        "LSTM": ["units": 4, "return_state": true, "implementation": 1, "use_cudnn": false],
        "GRU": ["units": 2, "stateful": true, "reset_after": false, "activity_regularizer": "l1"],
        "Bidirectional": ["layer": ["class_name": "GRU", "config": ["units": 2, "return_sequences": true]],
                          "merge_mode": nil],
    ]

    /// The function the Lambda sample names.
    override class func setUp() {
        super.setUp()
        LambdaFunctions.register("round_trip_double") { $0 * 2 }
    }

    func testEveryBuiltInLayerRoundTripsItsConfig() throws {
        let builtIns = Registries.layers.classNames.filter { Registries.layers.entry(named: $0)?.origin == "Keel" }
        XCTAssertFalse(builtIns.isEmpty)
        for className in builtIns {
            guard var config = Self.minimalConfigs[className] else {
                XCTFail("no sample config for the built-in layer '\(className)'")
                continue
            }
            config["name"] = .string("sample_\(Naming.snakeCase(className))")
            let layer = try Registries.layers.make(className, config: config)
            let written = layer.config
            let rebuilt = try Registries.layers.make(className, config: written)
            XCTAssertEqual(JSONValue.object(rebuilt.config).serialized(), JSONValue.object(written).serialized(), className)
            XCTAssertEqual(written["name"], config["name"], className)
            XCTAssertEqual(type(of: layer).kerasClassName, className)
        }
    }

    func testReadingNormalizesKerasShorthands() throws {
        let conv = try Registries.layers.make("Conv2D", config: Self.minimalConfigs["Conv2D"]!).config
        XCTAssertEqual(conv["kernel_size"], [3, 3])
        XCTAssertEqual(conv["strides"], [2, 2])
        XCTAssertEqual(conv["padding"], "same")
        XCTAssertEqual(conv["kernel_regularizer"]?.objectValue?["class_name"], "L2")
        let pool = try Registries.layers.make("MaxPooling2D", config: Self.minimalConfigs["MaxPooling2D"]!).config
        XCTAssertEqual(pool["strides"], [3, 3], "strides default to the pool size")
        XCTAssertEqual(try Registries.layers.make("LeakyReLU", config: ["alpha": 0.1]).config["negative_slope"], 0.1)
        let input = try Registries.layers.make("InputLayer", config: [
            "batch_input_shape": [nil, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1",
        ]).config
        XCTAssertEqual(input["batch_shape"], [nil, 4], "tf.keras 2's batch_input_shape reads as batch_shape")
    }

    func testSwiftInitializersWriteKerasDefaults() {
        let dense = Dense(units: 64, activation: "relu", name: "d").config
        XCTAssertEqual(dense.keys, ["name", "trainable", "dtype", "units", "activation", "use_bias", "kernel_initializer",
                                    "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint",
                                    "bias_constraint", "quantization_config"])
        XCTAssertEqual(dense["activation"], "relu")
        let conv = Conv2D(filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: .same, activation: "relu").config
        XCTAssertEqual(conv["padding"], "same")
        XCTAssertEqual(conv["activity_regularizer"], .null)
        XCTAssertEqual(BatchNormalization().config["momentum"], 0.99)
        XCTAssertEqual(BatchNormalization().config["epsilon"], 0.001)
        XCTAssertEqual(LeakyReLU().config["negative_slope"], 0.3)
        XCTAssertEqual(Embedding(inputDim: 5, outputDim: 2).config["embeddings_initializer"]?.objectValue?["config"],
                       ["seed": nil, "minval": -0.05, "maxval": 0.05])
    }

    func testAnActivityRegularizerAppearsAfterTheBaseFieldsAsInKeras() {
        let dense = Dense(units: 2, activityRegularizer: L2(l2: 0.1), name: "d").config
        XCTAssertEqual(Array(dense.keys.prefix(4)), ["name", "trainable", "dtype", "activity_regularizer"])
        let conv = Conv2D(filters: 1, kernelSize: [1, 1], activityRegularizer: L1(), name: "c").config
        XCTAssertEqual(Array(conv.keys.prefix(4)), ["name", "trainable", "dtype", "activity_regularizer"])
    }

    /// A constraint given by name or by config is written back nested as Keras serializes it, on
    /// every layer that takes one; an absent one is null. The variable carries it for the optimizer.
    func testWeightConstraintsRoundTripAsKerasNestsThem() throws {
        let maxNorm: JSONValue = ["module": "keras.constraints", "class_name": "MaxNorm",
                                  "config": ["max_value": 2, "axis": 0], "registered_name": .null]
        let dense = try Registries.layers.make("Dense", config: ["units": 2, "kernel_constraint": "max_norm"])
        XCTAssertEqual(dense.config["kernel_constraint"]?.serialized(), maxNorm.serialized())
        XCTAssertEqual(dense.config["bias_constraint"], .null)
        let rebuilt = try Registries.layers.make("Dense", config: dense.config)
        XCTAssertEqual(JSONValue.object(rebuilt.config).serialized(), JSONValue.object(dense.config).serialized())
        rebuilt.buildIfNeeded(inputShapes: [[1, 3]])
        XCTAssertTrue((rebuilt as? Dense)?.kernel.constraint is MaxNorm)
        XCTAssertNil((rebuilt as? Dense)?.bias?.constraint)

        let unitNorm: JSONValue = ["class_name": "UnitNorm", "config": ["axis": [0, 1, 2]]]
        let fields: [(String, JSONObject, String)] = [
            ("Conv2D", ["filters": 2, "kernel_size": 3, "kernel_constraint": unitNorm], "kernel_constraint"),
            ("Conv2DTranspose", ["filters": 2, "kernel_size": 3, "bias_constraint": "non_neg"], "bias_constraint"),
            ("Embedding", ["input_dim": 4, "output_dim": 2, "embeddings_constraint": "unit_norm"], "embeddings_constraint"),
            ("BatchNormalization", ["gamma_constraint": "non_neg"], "gamma_constraint"),
            ("BatchNormalization", ["beta_constraint": "min_max_norm"], "beta_constraint"),
        ]
        for (className, config, key) in fields {
            let layer = try Registries.layers.make(className, config: config)
            let written = try XCTUnwrap(layer.config[key]?.objectValue, "\(className).\(key)")
            XCTAssertEqual(written["module"], "keras.constraints", "\(className).\(key)")
            XCTAssertEqual(written["registered_name"], .null, "\(className).\(key)")
            let again = try Registries.layers.make(className, config: layer.config)
            XCTAssertEqual(again.config[key]?.serialized(), layer.config[key]?.serialized(), "\(className).\(key)")
        }
    }

    func testConfigsKerasKeelCannotHonourAreRefused() {
        XCTAssertThrowsError(try Registries.layers.make("Dense", config: [
            "units": 2, "kernel_constraint": ["class_name": "RadialConstraint", "config": [:]],
        ]))
        XCTAssertThrowsError(try Registries.layers.make("BatchNormalization", config: ["renorm": true]))
        XCTAssertThrowsError(try Registries.layers.make("Dense", config: ["units": 0]))
        XCTAssertThrowsError(try Registries.layers.make("Conv2D", config: ["filters": 2, "kernel_size": 3, "padding": "causal"]))
        XCTAssertThrowsError(try Registries.layers.make("Dropout", config: ["rate": 1.5]))
        XCTAssertThrowsError(try Registries.layers.make("Dense", config: ["units": 2, "activation": "not_an_activation"]))
    }
}
