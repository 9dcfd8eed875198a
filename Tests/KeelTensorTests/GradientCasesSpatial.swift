@testable import KeelTensor

/// Convolution, pooling and dropout. Inputs are NHWC, kernels HWIO (conv2d) or HWOI
/// (conv2dTranspose), as Keras stores them.
let spatialGradientCases: [GradientCase] = [
    GradientCase("conv2d", "valid, stride 1, batch 2", [input([2, 4, 4, 2]), input([2, 2, 2, 3])]) {
        $0[0].conv2d($0[1])
    },
    GradientCase("batchNormalized", "NHWC with gamma and beta", [input([2, 3, 2, 3]), input([3]), input([3])]) {
        $0[0].batchNormalized(gamma: $0[1], beta: $0[2], epsilon: 1e-3).output
    },
    GradientCase("batchNormalized", "rank 2 without gamma and beta", [input([5, 4])]) {
        $0[0].batchNormalized(gamma: nil, beta: nil, epsilon: 1e-3).output
    },
    GradientCase("conv2d", "two channels, eight filters (direct kernels), same, stride 2",
                 [input([2, 5, 5, 2]), input([3, 3, 2, 8])]) {
        $0[0].conv2d($0[1], strides: (2, 2), padding: .same)
    },
    // One output channel and ≥ 16 input channels takes the direct (non-im2col) kernels.
    GradientCase("conv2d", "one filter, 17 channels, same, stride 2", [input([2, 5, 5, 17]), input([3, 3, 17, 1])]) {
        $0[0].conv2d($0[1], strides: (2, 2), padding: .same)
    },
    GradientCase("conv2d", "one filter, 16 channels, valid", [input([1, 4, 4, 16]), input([2, 2, 16, 1])]) {
        $0[0].conv2d($0[1])
    },
    GradientCase("conv2d", "same, stride 2, 5x5 input", [input([1, 5, 5, 2]), input([3, 3, 2, 2])]) {
        $0[0].conv2d($0[1], strides: (2, 2), padding: .same)
    },
    GradientCase("conv2d", "same, dilation 2", [input([1, 5, 5, 1]), input([2, 2, 1, 2])]) {
        $0[0].conv2d($0[1], padding: .same, dilation: (2, 2))
    },
    GradientCase("conv2d", "valid, 1x3 kernel, strides (2, 1)", [input([1, 4, 5, 2]), input([1, 3, 2, 2])]) {
        $0[0].conv2d($0[1], strides: (2, 1))
    },
    GradientCase("conv2d", "pointwise 1x1", [input([1, 3, 3, 2]), input([1, 1, 2, 3])]) { $0[0].conv2d($0[1]) },
    GradientCase("conv2dTranspose", "valid, stride 2", [input([1, 3, 3, 2]), input([3, 3, 2, 2])]) {
        $0[0].conv2dTranspose($0[1], strides: (2, 2))
    },
    GradientCase("conv2dTranspose", "same, stride 2, batch 2", [input([2, 2, 3, 1]), input([3, 3, 2, 1])]) {
        $0[0].conv2dTranspose($0[1], strides: (2, 2), padding: .same)
    },
    GradientCase("conv2dTranspose", "same, 2x1 kernel, dilation 2", [input([1, 3, 3, 2]), input([2, 1, 1, 2])]) {
        $0[0].conv2dTranspose($0[1], padding: .same, dilation: (2, 2))
    },
    GradientCase("conv2dTranspose", "valid, stride 2, output padding 1", [input([1, 2, 2, 1]), input([3, 3, 1, 1])]) {
        $0[0].conv2dTranspose($0[1], strides: (2, 2), outputPadding: (1, 1))
    },
    GradientCase("conv2dTranspose", "pointwise 1x1", [input([1, 2, 3, 2]), input([1, 1, 3, 2])]) {
        $0[0].conv2dTranspose($0[1])
    },
    GradientCase("maxPool2d", "2x2 valid", [input([1, 4, 4, 2], .grid(phase: 0))]) { $0[0].maxPool2d() },
    GradientCase("maxPool2d", "3x3 stride 2 same (overlapping windows)", [input([1, 5, 5, 1], .grid(phase: 0))]) {
        $0[0].maxPool2d(poolSize: (3, 3), strides: (2, 2), padding: .same)
    },
    GradientCase("maxPool2d", "2x3 stride (1, 2) valid, batch 2", [input([2, 3, 5, 1], .grid(phase: 0))]) {
        $0[0].maxPool2d(poolSize: (2, 3), strides: (1, 2))
    },
    GradientCase("avgPool2d", "2x2 valid", [input([1, 4, 4, 2])]) { $0[0].avgPool2d() },
    GradientCase("avgPool2d", "3x3 stride 2 same (partial windows)", [input([1, 5, 5, 1])]) {
        $0[0].avgPool2d(poolSize: (3, 3), strides: (2, 2), padding: .same)
    },
    GradientCase("avgPool2d", "2x3 stride (1, 2) valid, batch 2", [input([2, 3, 5, 1])]) {
        $0[0].avgPool2d(poolSize: (2, 3), strides: (1, 2))
    },
    GradientCase("globalAvgPool2d", [input([2, 2, 3, 2])]) { $0[0].globalAvgPool2d() },
    GradientCase("globalAvgPool2d", "keepDims", [input([1, 3, 2, 2])]) { $0[0].globalAvgPool2d(keepDims: true) },
    GradientCase("globalMaxPool2d", [input([2, 2, 3, 2], .grid(phase: 0))]) { $0[0].globalMaxPool2d() },
    GradientCase("depthwiseConv2d", "valid, multiplier 1, batch 2", [input([2, 4, 4, 2]), input([2, 2, 2, 1])]) {
        $0[0].depthwiseConv2d($0[1])
    },
    GradientCase("depthwiseConv2d", "same, stride 2, multiplier 2", [input([1, 5, 5, 2]), input([3, 3, 2, 2])]) {
        $0[0].depthwiseConv2d($0[1], strides: (2, 2), padding: .same)
    },
    GradientCase("depthwiseConv2d", "same, dilation 2, multiplier 3", [input([1, 4, 5, 1]), input([2, 2, 1, 3])]) {
        $0[0].depthwiseConv2d($0[1], padding: .same, dilation: (2, 2))
    },
    GradientCase("conv3d", "valid, batch 2", [input([2, 3, 3, 2, 2]), input([2, 2, 1, 2, 3])]) { $0[0].conv3d($0[1]) },
    GradientCase("conv3d", "same, strides (2, 1, 2)", [input([1, 3, 2, 3, 1]), input([2, 2, 2, 1, 2])]) {
        $0[0].conv3d($0[1], strides: [2, 1, 2], padding: .same)
    },
    GradientCase("conv3d", "same, dilation 2", [input([1, 3, 3, 3, 1]), input([2, 2, 2, 1, 1])]) {
        $0[0].conv3d($0[1], padding: .same, dilation: [2, 2, 2])
    },
    GradientCase("conv3dTranspose", "valid, stride 2", [input([1, 2, 2, 1, 2]), input([2, 2, 2, 1, 2])]) {
        $0[0].conv3dTranspose($0[1], strides: [2, 2, 2])
    },
    GradientCase("conv3dTranspose", "same, stride 2, batch 2", [input([2, 2, 1, 2, 1]), input([3, 3, 3, 2, 1])]) {
        $0[0].conv3dTranspose($0[1], strides: [2, 2, 2], padding: .same)
    },
    GradientCase("conv3dTranspose", "valid, stride 2, output padding (1, 0, 1)", [input([1, 2, 2, 2, 1]), input([2, 1, 2, 1, 1])]) {
        $0[0].conv3dTranspose($0[1], strides: [2, 2, 2], outputPadding: [1, 0, 1])
    },
    GradientCase("maxPool3d", "2x2x2 valid", [input([1, 4, 2, 4, 2], .grid(phase: 0))]) { $0[0].maxPool3d() },
    GradientCase("maxPool3d", "3x3x2 stride 2 same (overlapping windows), batch 2", [input([2, 3, 3, 3, 1], .grid(phase: 0))]) {
        $0[0].maxPool3d(poolSize: [3, 3, 2], strides: [2, 2, 1], padding: .same)
    },
    GradientCase("avgPool3d", "2x2x2 valid", [input([1, 2, 4, 2, 2])]) { $0[0].avgPool3d() },
    GradientCase("avgPool3d", "2x3x2 stride 1 same (partial windows), batch 2", [input([2, 3, 3, 2, 1])]) {
        $0[0].avgPool3d(poolSize: [2, 3, 2], strides: [1, 1, 1], padding: .same)
    },
    // A fresh generator with the same seed on every call: every evaluation drops the same units.
    GradientCase("dropout", "rate 0.4", [input([3, 4])]) {
        $0[0].dropout(rate: 0.4, generator: RandomGenerator(seed: 7))
    },
    GradientCase("dropout", "rate 0", [input([2, 3])]) { $0[0].dropout(rate: 0, generator: RandomGenerator(seed: 7)) * 2 },
    GradientCase("dropout", "rate 1", [input([2, 3])]) {
        $0[0].dropout(rate: 1, generator: RandomGenerator(seed: 7)) + $0[0]
    },
]
