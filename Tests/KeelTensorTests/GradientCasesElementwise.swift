@testable import KeelTensor

private func unary(_ op: String, _ detail: String = "", _ domain: InputDomain = .symmetric,
                   _ f: @escaping (Tensor) -> Tensor) -> GradientCase {
    GradientCase(op, detail, [input([2, 3], domain)]) { f($0[0]) }
}

private let wide = InputDomain.avoiding(kinks: [], range: -3...3)
private func awayFrom(_ kinks: Float..., range: ClosedRange<Float> = -2...2) -> InputDomain {
    .avoiding(kinks: kinks, range: range)
}

/// Elementwise math and every activation function.
let elementwiseGradientCases: [GradientCase] = [
    unary("squared") { $0.squared() },
    unary("sqrt", "", .positive) { $0.sqrt() },
    unary("rsqrt", "", .positive) { $0.rsqrt() },
    unary("exp") { $0.exp() },
    unary("log", "", .positive) { $0.log() },
    unary("log1p", "", awayFrom(range: -0.6...2)) { $0.log1p() },
    unary("expm1") { $0.expm1() },
    unary("abs", "", awayFrom(0)) { $0.abs() },
    unary("sign", "", awayFrom(0)) { $0.sign() },
    unary("sin", "", wide) { $0.sin() },
    unary("cos", "", wide) { $0.cos() },
    unary("reciprocal", "", .avoiding(kinks: [0], range: -2...2, margin: 0.5)) { $0.reciprocal() },
    unary("pow(Float)", "^3", .positive) { $0.pow(Float(3)) },
    unary("pow(Float)", "^2 (the squared path)") { $0.pow(Float(2)) },
    unary("pow(Float)", "^0.5", .positive) { $0.pow(Float(0.5)) },
    unary("pow(Float)", "^-1.5", .positive) { $0.pow(Float(-1.5)) },
    GradientCase("pow(Tensor)", "[2,3] ^ [2,3]", [input([2, 3], .positive), input([2, 3])]) { $0[0].pow($0[1]) },
    GradientCase("pow(Tensor)", "[2,3] ^ [3]", [input([2, 3], .positive), input([3])]) { $0[0].pow($0[1]) },
    GradientCase("pow(Tensor)", "[3] ^ [2,3]", [input([3], .positive), input([2, 3])]) { $0[0].pow($0[1]) },
    GradientCase("pow(Tensor)", "[2,3] ^ scalar", [input([2, 3], .positive), input([])]) { $0[0].pow($0[1]) },

    unary("tanh", "", wide) { $0.tanh() },
    unary("sigmoid", "", wide) { $0.sigmoid() },
    unary("relu", "", awayFrom(0)) { $0.relu() },
    unary("relu6", "", awayFrom(0, 6, range: -1...7)) { $0.relu6() },
    unary("relu(negativeSlope:maxValue:threshold:)", "slope 0.1, max 1.5, threshold 0.3",
          awayFrom(0.3, 1.5, range: -1...2.5)) { $0.relu(negativeSlope: 0.1, maxValue: 1.5, threshold: 0.3) },
    unary("relu(negativeSlope:maxValue:threshold:)", "slope 0.2, no max, threshold -0.5",
          awayFrom(-0.5)) { $0.relu(negativeSlope: 0.2, maxValue: nil, threshold: -0.5) },
    unary("leakyRelu", "default slope", awayFrom(0)) { $0.leakyRelu() },
    unary("leakyRelu", "slope 0.3", awayFrom(0)) { $0.leakyRelu(negativeSlope: 0.3) },
    unary("elu", "alpha 1", awayFrom(0)) { $0.elu() },
    unary("elu", "alpha 0.5", awayFrom(0)) { $0.elu(alpha: 0.5) },
    unary("selu", "", awayFrom(0)) { $0.selu() },
    unary("celu", "alpha 1", awayFrom(0)) { $0.celu() },
    unary("celu", "alpha 2", awayFrom(0)) { $0.celu(alpha: 2) },
    unary("gelu(approximate: true)", "", wide) { $0.gelu(approximate: true) },
    unary("gelu(approximate: false)", "", wide) { $0.gelu(approximate: false) },
    unary("softplus", "", .avoiding(kinks: [], range: -4...4)) { $0.softplus() },
    unary("softsign", "", awayFrom(0)) { $0.softsign() },
    unary("silu", "", wide) { $0.silu() },
    unary("swish", "", wide) { $0.swish() },
    unary("hardSigmoid", "", awayFrom(-3, 3, range: -4...4)) { $0.hardSigmoid() },
    unary("hardSilu", "", awayFrom(-3, 3, range: -4...4)) { $0.hardSilu() },
    unary("hardTanh", "", awayFrom(-1, 1)) { $0.hardTanh() },
    unary("logSigmoid", "", wide) { $0.logSigmoid() },
    unary("mish", "", wide) { $0.mish() },
    unary("hardShrink", "threshold 0.5", awayFrom(-0.5, 0.5)) { $0.hardShrink() },
    unary("hardShrink", "threshold 1", awayFrom(-1, 1)) { $0.hardShrink(threshold: 1) },
    unary("softShrink", "threshold 0.5", awayFrom(-0.5, 0.5)) { $0.softShrink() },
    unary("softShrink", "threshold 0.2", awayFrom(-0.2, 0.2)) { $0.softShrink(threshold: 0.2) },
    unary("tanhShrink", "", wide) { $0.tanhShrink() },
    unary("squareplus", "b 4", wide) { $0.squareplus() },
    unary("squareplus", "b 0.5", wide) { $0.squareplus(b: 0.5) },
    unary("sparsePlus", "", awayFrom(-1, 1)) { $0.sparsePlus() },
    unary("sparseSigmoid", "", awayFrom(-1, 1)) { $0.sparseSigmoid() },
    unary("threshold", "0.3, default -2", awayFrom(0.3)) { $0.threshold(0.3, defaultValue: -2) },
    unary("threshold", "-0.5, default 0", awayFrom(-0.5)) { $0.threshold(-0.5, defaultValue: 0) },
    GradientCase("glu", "[2,4] last axis", [input([2, 4], wide)]) { $0[0].glu() },
    GradientCase("glu", "[2,3] axis 0", [input([2, 3], wide)]) { $0[0].glu(axis: 0) },
    // Piecewise linear, with kinks where a value meets τ or leaves the support: random values
    // (a grid would put values exactly on τ) and a small step keep the differences off them.
    GradientCase("sparsemax", "[3,4] last axis", [input([3, 4], wide)], epsilon: 1e-3) { $0[0].sparsemax() },
    GradientCase("sparsemax", "[2,5,2] axis 1", [input([2, 5, 2], wide)], epsilon: 1e-3) {
        $0[0].sparsemax(axis: 1)
    },
]
