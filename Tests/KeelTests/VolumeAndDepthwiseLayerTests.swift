import XCTest
import Keel

/// The depthwise, separable and 3-D layers in channels-first format compute what they compute
/// channels-last (the Keras fixtures are all channels-last), and refuse inputs they cannot take
/// with an error naming the layer.
final class VolumeAndDepthwiseLayerTests: XCTestCase {
    private static let formatCases: [(className: String, config: JSONObject, input: [Int])] = [
        ("DepthwiseConv2D", ["kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"], [2, 5, 4, 3]),
        ("SeparableConv2D", ["filters": 4, "kernel_size": [2, 3], "depth_multiplier": 2, "dilation_rate": 2], [2, 5, 6, 3]),
        ("Conv3D", ["filters": 4, "kernel_size": [2, 3, 2], "strides": [1, 2, 1], "padding": "same", "groups": 2],
         [2, 3, 5, 4, 2]),
        ("Conv3DTranspose", ["filters": 3, "kernel_size": 2, "strides": [2, 1, 2], "padding": "same"], [2, 2, 3, 2, 2]),
        ("MaxPooling3D", ["pool_size": [2, 2, 1], "padding": "same"], [2, 3, 3, 2, 2]),
        ("AveragePooling3D", ["pool_size": 2, "strides": 1], [2, 3, 3, 3, 2]),
        ("GlobalMaxPooling3D", ["keepdims": true], [2, 2, 3, 2, 3]),
        ("GlobalAveragePooling3D", [:], [2, 2, 3, 2, 3]),
    ]

    func testChannelsFirstMatchesChannelsLast() throws {
        for testCase in Self.formatCases {
            let last = try Registries.layers.make(testCase.className, config: testCase.config)
            var firstConfig = testCase.config
            firstConfig["data_format"] = "channels_first"
            let first = try Registries.layers.make(testCase.className, config: firstConfig)
            let rank = testCase.input.count
            let toFirst = [0, rank - 1] + Array(1..<(rank - 1)), toLast = [0] + Array(2..<rank) + [1]
            let x = RandomNormal(seed: 6, stddev: 1)(testCase.input)
            let yLast = last(x)
            first.buildIfNeeded(inputShapes: [x.transposed(toFirst).shape])
            try first.setWeights(last.weights.map(\.value))
            let yFirst = first(x.transposed(toFirst))
            let back = yFirst.rank == rank ? yFirst.transposed(toLast) : yFirst
            XCTAssertEqual(back.shape, yLast.shape, testCase.className)
            guard back.shape == yLast.shape else { continue }
            for (a, b) in zip(back.scalars, yLast.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5, testCase.className) }
        }
    }

    func testInputsTheLayersCannotTakeAreRefusedNamingTheLayer() throws {
        // Shapes without the batch dimension.
        let refused: [(className: String, config: JSONObject, input: [Int?])] = [
            ("DepthwiseConv2D", ["kernel_size": 3], [2, 5, 3]),  // valid kernel larger than the input
            ("SeparableConv2D", ["filters": 2, "kernel_size": 2], [4, 4, nil]),  // unknown channels
            ("Conv3D", ["filters": 3, "kernel_size": 2, "groups": 3], [3, 3, 3, 2]),  // channels not divisible
            ("Conv3D", ["filters": 3, "kernel_size": 2], [3, 3, 3]),  // an image, not a volume
            ("Conv3DTranspose", ["filters": 3, "kernel_size": 2], [3, 0, 3, 2]),  // an empty axis
            ("MaxPooling3D", ["pool_size": 4], [3, 3, 3, 1]),  // the window does not fit
            ("GlobalAveragePooling3D", [:], [3, 3, 1]),
            // A kernel whose weights fit, dilated past 2^45: refused here rather than stopping the process in the op.
            ("DepthwiseConv2D", ["kernel_size": [2_097_154, 1], "dilation_rate": [16_777_216, 1], "padding": "same"], [4, 4, 1]),
            ("Conv3D", ["filters": 1, "kernel_size": [1, 2_097_154, 1], "dilation_rate": [1, 16_777_216, 1], "padding": "same"],
             [2, 4, 4, 1]),
        ]
        for testCase in refused {
            let layer = try Registries.layers.make(testCase.className, config: testCase.config)
            XCTAssertThrowsError(try layer(Input(shape: testCase.input)), "\(testCase.className) \(testCase.input)") { error in
                XCTAssertTrue(error is KeelError, "\(testCase.className): \(error)")
                XCTAssertTrue("\(error)".contains(layer.nameForMessages), "\(testCase.className): \(error)")
            }
        }
        XCTAssertThrowsError(try Registries.layers.make("Conv3D", config: ["filters": 4, "kernel_size": 2, "groups": 3]))
        XCTAssertThrowsError(try Registries.layers.make("Conv3DTranspose",
                                                        config: ["filters": 4, "kernel_size": 2, "strides": 2, "output_padding": 2]))
        XCTAssertThrowsError(try Registries.layers.make("DepthwiseConv2D", config: ["kernel_size": 2, "depth_multiplier": 0]))
    }

    /// Default names as Keras gives them (`to_snake_case` of the class), and Keras's other
    /// exported names for the same classes.
    func testDefaultNamesAndAliasesAreKeras() throws {
        let names = [
            ("DepthwiseConv2D", "depthwise_conv2d"), ("SeparableConv2D", "separable_conv2d"), ("Conv3D", "conv3d"),
            ("Conv3DTranspose", "conv3d_transpose"), ("MaxPooling3D", "max_pooling3d"),
            ("AveragePooling3D", "average_pooling3d"), ("GlobalMaxPooling3D", "global_max_pooling3d"),
            ("GlobalAveragePooling3D", "global_average_pooling3d"),
        ]
        let least: [String: JSONObject] = [
            "DepthwiseConv2D": ["kernel_size": 2], "SeparableConv2D": ["filters": 2, "kernel_size": 2],
            "Conv3D": ["filters": 2, "kernel_size": 2], "Conv3DTranspose": ["filters": 2, "kernel_size": 2],
        ]
        for (className, name) in names {
            let layer = try Registries.layers.make(className, config: least[className] ?? [:])
            XCTAssertTrue(layer.name == name || layer.name.hasPrefix(name + "_"), "\(className) named \(layer.name)")
        }
        let aliases = [
            ("SeparableConvolution2D", "SeparableConv2D"), ("Convolution3D", "Conv3D"),
            ("Convolution3DTranspose", "Conv3DTranspose"), ("MaxPool3D", "MaxPooling3D"), ("AvgPool3D", "AveragePooling3D"),
            ("GlobalMaxPool3D", "GlobalMaxPooling3D"), ("GlobalAvgPool3D", "GlobalAveragePooling3D"),
        ]
        for (alias, className) in aliases {
            XCTAssertEqual(Registries.layers.entry(named: alias)?.className, className, alias)
        }
    }
}
