@testable import KeelTensor

/// Layer normalization (the fused op over trailing axes), with and without its weights.
let normalizationGradientCases: [GradientCase] = [
    GradientCase("layerNormalized", "last axis with gamma and beta", [input([3, 4]), input([4]), input([4])]) {
        $0[0].layerNormalized(features: 4, gamma: $0[1], beta: $0[2], epsilon: 1e-3)
    },
    GradientCase("layerNormalized", "two trailing axes without weights", [input([2, 3, 2])]) {
        $0[0].layerNormalized(features: 6, gamma: nil, beta: nil, epsilon: 1e-3)
    },
    GradientCase("layerNormalized", "rms scaling with gamma", [input([2, 5]), input([5])]) {
        $0[0].layerNormalized(features: 5, gamma: $0[1], beta: nil, epsilon: 1e-3, rmsScaling: true)
    },
]
