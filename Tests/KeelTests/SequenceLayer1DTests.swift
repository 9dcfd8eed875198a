import XCTest
import Keel

/// The 1-D layers beyond the Keras fixtures: gradients of causal dilated and transposed
/// convolutions by finite differences, causality, channels-first against channels-last, the
/// mask GlobalAveragePooling1D averages over and consumes, inputs and configs refused with an
/// error naming the layer, Keras's default names and aliases.
final class SequenceLayer1DTests: XCTestCase {
    func testCausalDilatedConv1DGradientMatchesFiniteDifferences() throws {
        let layer = try Registries.layers.make("Conv1D", config: [
            "filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2, "groups": 2,
            "bias_initializer": ["class_name": "RandomNormal", "config": ["seed": 3]],
        ])
        let x = RandomNormal(seed: 5, stddev: 1)([2, 5, 4])
        layer.buildIfNeeded(inputShapes: [x.shape])
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }, [])
    }

    func testConv1DTransposeGradientMatchesFiniteDifferences() throws {
        let layer = try Registries.layers.make("Conv1DTranspose", config: [
            "filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1, "dilation_rate": 1,
            "bias_initializer": ["class_name": "RandomNormal", "config": ["seed": 3]],
        ])
        let x = RandomNormal(seed: 7, stddev: 1)([2, 3, 2])
        layer.buildIfNeeded(inputShapes: [x.shape])
        XCTAssertEqual(layer(x).shape, [2, 6, 2])
        XCTAssertEqual(FiniteDifferences.problems(inputs: [x], weights: layer.weights) { layer($0[0]) }, [])
    }

    /// Output step t of a causal convolution changes with input steps up to t only, and there are
    /// as many output steps as input steps.
    func testCausalConv1DOutputStepsSeeOnlyEarlierSteps() throws {
        let layer = try Registries.layers.make("Conv1D", config: ["filters": 3, "kernel_size": 2, "padding": "causal",
                                                                  "dilation_rate": 2])
        let x = RandomNormal(seed: 8, stddev: 1)([1, 6, 2])
        let y = layer(x)
        XCTAssertEqual(y.shape, [1, 6, 3])
        var changed = x.scalars
        for c in 0..<2 { changed[4 * 2 + c] += 1 }  // step 4
        let z = layer(Tensor(shape: x.shape, scalars: changed))
        for step in 0..<6 {
            let moved = (0..<3).contains { f in abs(y.scalars[step * 3 + f] - z.scalars[step * 3 + f]) > 1e-6 }
            XCTAssertEqual(moved, step == 4, "step \(step)")  // steps 4 (lag 0) and 6 (lag 2, past the end)
        }
    }

    private static let formatCases: [(className: String, config: JSONObject, input: [Int])] = [
        ("Conv1D", ["filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2, "groups": 2], [2, 6, 2]),
        ("Conv1D", ["filters": 2, "kernel_size": 2, "strides": 2, "padding": "same"], [2, 5, 3]),
        ("Conv1DTranspose", ["filters": 3, "kernel_size": 3, "strides": 2, "padding": "valid"], [2, 4, 2]),
        ("SeparableConv1D", ["filters": 4, "kernel_size": 2, "depth_multiplier": 2, "dilation_rate": 2], [2, 6, 3]),
        ("DepthwiseConv1D", ["kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"], [2, 5, 3]),
        ("MaxPooling1D", ["pool_size": 3, "strides": 1, "padding": "same"], [2, 5, 3]),
        ("AveragePooling1D", ["pool_size": 2, "padding": "same"], [2, 5, 3]),
        ("GlobalMaxPooling1D", ["keepdims": true], [2, 4, 3]),
        ("GlobalAveragePooling1D", [:], [2, 4, 3]),
        ("ZeroPadding1D", ["padding": [2, 1]], [2, 3, 2]),
    ]

    func testChannelsFirstMatchesChannelsLast() throws {
        for testCase in Self.formatCases {
            let last = try Registries.layers.make(testCase.className, config: testCase.config)
            var firstConfig = testCase.config
            firstConfig["data_format"] = "channels_first"
            let first = try Registries.layers.make(testCase.className, config: firstConfig)
            let x = RandomNormal(seed: 6, stddev: 1)(testCase.input)
            let yLast = last(x)
            first.buildIfNeeded(inputShapes: [x.transposed([0, 2, 1]).shape])
            try first.setWeights(last.weights.map(\.value))
            let yFirst = first(x.transposed([0, 2, 1]))
            let back = yFirst.rank == 3 ? yFirst.transposed([0, 2, 1]) : yFirst
            XCTAssertEqual(back.shape, yLast.shape, testCase.className)
            guard back.shape == yLast.shape else { continue }
            for (a, b) in zip(back.scalars, yLast.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5, testCase.className) }
        }
    }

    /// Keras averages the unmasked steps only, and the pooled output carries no mask.
    func testGlobalAveragePooling1DAveragesUnmaskedStepsAndConsumesTheMask() throws {
        for format in ["channels_last", "channels_first"] {
            let layer = try Registries.layers.make("GlobalAveragePooling1D", config: ["data_format": .string(format)])
            let values: [Float] = [1, 10, 2, 20, 3, 30, 4, 40]  // (1, 4 steps, 2 channels)
            var x = Tensor(shape: [1, 4, 2], scalars: values)
            if format == "channels_first" { x = x.transposed([0, 2, 1]) }
            let mask = Tensor(shape: [1, 4], scalars: [1, 0, 1, 0])
            let arguments = CallArguments(["mask": .tensor(mask)])
            let y = layer.callAll([x], arguments: arguments, training: false)
            XCTAssertEqual(y.count, 1)
            XCTAssertEqual(y.first?.scalars ?? [], [2, 20], format)
            XCTAssertEqual(layer.outputMasks(for: [x], masks: [mask], arguments: arguments, outputCount: 1).compactMap { $0 }.count, 0)
            XCTAssertEqual(layer(x).scalars, [2.5, 25], format)
        }
        XCTAssertTrue(try Registries.layers.make("GlobalAveragePooling1D", config: [:]).supportsMasking)
    }

    func testRepeatVectorPermuteUpSamplingAndCropping() throws {
        let v = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(try Registries.layers.make("RepeatVector", config: ["n": 2])(v).scalars, [1, 2, 1, 2, 3, 4, 3, 4])
        let s = Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try Registries.layers.make("Permute", config: ["dims": [2, 1]])(s).scalars, [1, 3, 5, 2, 4, 6])
        XCTAssertEqual(try Registries.layers.make("UpSampling1D", config: ["size": 2])(s).scalars,
                       [1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6])
        XCTAssertEqual(try Registries.layers.make("Cropping1D", config: ["cropping": [0, 2]])(s).scalars, [1, 2])
        XCTAssertEqual(try Registries.layers.make("ZeroPadding1D", config: ["padding": [1, 0]])(s).scalars, [0, 0, 1, 2, 3, 4, 5, 6])
    }

    func testInputsAndConfigsTheLayersCannotTakeAreRefusedNamingTheLayer() throws {
        // Shapes without the batch dimension.
        let refused: [(className: String, config: JSONObject, input: [Int?])] = [
            ("Conv1D", ["filters": 2, "kernel_size": 4], [3, 2]),  // valid kernel longer than the input
            ("Conv1D", ["filters": 2, "kernel_size": 2], [3, 2, 2]),  // an image, not a sequence
            ("Conv1D", ["filters": 3, "kernel_size": 2, "groups": 3], [4, 2]),  // channels not divisible
            ("SeparableConv1D", ["filters": 2, "kernel_size": 2], [4, nil]),  // unknown channels
            ("DepthwiseConv1D", ["kernel_size": 2, "dilation_rate": 3], [3, 2]),
            ("Conv1DTranspose", ["filters": 2, "kernel_size": 2], [0, 2]),  // an empty axis
            ("MaxPooling1D", ["pool_size": 4], [3, 1]),
            ("AveragePooling1D", ["pool_size": 8, "padding": "same"], [3, 1]),  // overhangs by more than the input
            ("GlobalMaxPooling1D", [:], [3]),
            ("Cropping1D", ["cropping": [2, 1]], [3, 2]),
            ("ZeroPadding1D", [:], [3, 2, 2]),
            ("UpSampling1D", [:], [3]),
            ("RepeatVector", ["n": 2], [3, 2]),
            ("Permute", ["dims": [2, 1]], [3, 2, 2]),
            // Outputs too large to index: refused rather than overflowing the shape arithmetic.
            ("UpSampling1D", ["size": 16_777_216], [1 << 44, 1]),
            ("RepeatVector", ["n": 16_777_216], [1 << 40]),
            // A kernel whose weights fit, dilated past 2^45: refused here rather than stopping the process in the op.
            ("Conv1D", ["filters": 1, "kernel_size": 2_097_154, "dilation_rate": 16_777_216, "padding": "causal"], [4, 1]),
        ]
        for testCase in refused {
            let layer = try Registries.layers.make(testCase.className, config: testCase.config)
            XCTAssertThrowsError(try layer(Input(shape: testCase.input)), "\(testCase.className) \(testCase.input)") { error in
                XCTAssertTrue(error is KeelError, "\(testCase.className): \(error)")
                XCTAssertTrue("\(error)".contains(layer.nameForMessages), "\(testCase.className): \(error)")
            }
        }
        let refusedConfigs: [(String, JSONObject)] = [
            ("Conv1D", ["filters": 4, "kernel_size": 2, "groups": 3]),
            ("Conv1D", ["filters": 4, "kernel_size": [2, 2]]),
            ("SeparableConv1D", ["filters": 4, "kernel_size": 2, "padding": "causal"]),
            ("DepthwiseConv1D", ["kernel_size": 2, "padding": "causal"]),
            ("Conv1DTranspose", ["filters": 4, "kernel_size": 2, "padding": "causal"]),
            ("Conv1DTranspose", ["filters": 4, "kernel_size": 2, "strides": 2, "output_padding": 2]),
            ("MaxPooling1D", ["padding": "causal"]),
            ("ZeroPadding1D", ["padding": [1, 2, 3]]),
            ("Cropping1D", ["cropping": -1]),
            ("UpSampling1D", ["size": 0]),
            ("RepeatVector", ["n": 0]),
            ("Permute", ["dims": [1, 3]]),
        ]
        for (className, config) in refusedConfigs {
            XCTAssertThrowsError(try Registries.layers.make(className, config: config), "\(className) \(config)")
        }
    }

    /// Default names as Keras gives them, and Keras's other exported names for the same classes.
    func testDefaultNamesAndAliasesAreKeras() throws {
        let names = [
            ("Conv1D", "conv1d"), ("Conv1DTranspose", "conv1d_transpose"), ("SeparableConv1D", "separable_conv1d"),
            ("DepthwiseConv1D", "depthwise_conv1d"), ("MaxPooling1D", "max_pooling1d"), ("AveragePooling1D", "average_pooling1d"),
            ("GlobalMaxPooling1D", "global_max_pooling1d"), ("GlobalAveragePooling1D", "global_average_pooling1d"),
            ("UpSampling1D", "up_sampling1d"), ("ZeroPadding1D", "zero_padding1d"), ("Cropping1D", "cropping1d"),
            ("RepeatVector", "repeat_vector"), ("Permute", "permute"),
        ]
        let least: [String: JSONObject] = [
            "Conv1D": ["filters": 2, "kernel_size": 2], "Conv1DTranspose": ["filters": 2, "kernel_size": 2],
            "SeparableConv1D": ["filters": 2, "kernel_size": 2], "DepthwiseConv1D": ["kernel_size": 2],
            "RepeatVector": ["n": 2], "Permute": ["dims": [1]],
        ]
        for (className, name) in names {
            let layer = try Registries.layers.make(className, config: least[className] ?? [:])
            XCTAssertTrue(layer.name == name || layer.name.hasPrefix(name + "_"), "\(className) named \(layer.name)")
        }
        let aliases = [
            ("Convolution1D", "Conv1D"), ("Convolution1DTranspose", "Conv1DTranspose"),
            ("SeparableConvolution1D", "SeparableConv1D"), ("MaxPool1D", "MaxPooling1D"), ("AvgPool1D", "AveragePooling1D"),
            ("GlobalMaxPool1D", "GlobalMaxPooling1D"), ("GlobalAvgPool1D", "GlobalAveragePooling1D"),
        ]
        for (alias, className) in aliases {
            XCTAssertEqual(Registries.layers.entry(named: alias)?.className, className, alias)
        }
    }
}
