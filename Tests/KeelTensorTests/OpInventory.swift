import Foundation

/// The list of KeelTensor's public ops, read off the sources by hand and checked against them
/// by `GradientCheckTests`: every differentiable op must have a gradient case, and every public
/// tensor-returning function must be listed here one way or the other.
enum OpInventory {
    /// (identifier used by gradient cases, the name the sources declare it under).
    static let differentiable: [(op: String, declaredAs: String)] = [
        ("add", "+"), ("subtract", "-"), ("multiply", "*"), ("divide", "/"), ("negate", "-"),
        ("add(Float)", "+"), ("subtract(Float)", "-"), ("multiply(Float)", "*"), ("divide(Float)", "/"),
        ("+=", "+="), ("-=", "-="), ("*=", "*="), ("/=", "/="),
        ("minimum", "minimum"), ("maximum", "maximum"), ("clipped", "clipped"),
        ("squared", "squared"), ("sqrt", "sqrt"), ("rsqrt", "rsqrt"), ("exp", "exp"), ("log", "log"),
        ("log1p", "log1p"), ("expm1", "expm1"), ("abs", "abs"), ("sign", "sign"), ("sin", "sin"), ("cos", "cos"),
        ("reciprocal", "reciprocal"), ("pow(Float)", "pow"), ("pow(Tensor)", "pow"),
        ("tanh", "tanh"), ("sigmoid", "sigmoid"), ("relu", "relu"), ("relu6", "relu6"),
        ("relu(negativeSlope:maxValue:threshold:)", "relu"), ("leakyRelu", "leakyRelu"), ("elu", "elu"),
        ("selu", "selu"), ("celu", "celu"), ("gelu(approximate: true)", "gelu"), ("gelu(approximate: false)", "gelu"),
        ("softplus", "softplus"), ("softsign", "softsign"), ("silu", "silu"), ("swish", "swish"),
        ("hardSigmoid", "hardSigmoid"), ("hardSilu", "hardSilu"), ("hardTanh", "hardTanh"),
        ("logSigmoid", "logSigmoid"), ("mish", "mish"),
        ("hardShrink", "hardShrink"), ("softShrink", "softShrink"), ("tanhShrink", "tanhShrink"),
        ("squareplus", "squareplus"), ("sparsePlus", "sparsePlus"), ("sparseSigmoid", "sparseSigmoid"),
        ("threshold", "threshold"), ("glu", "glu"), ("sparsemax", "sparsemax"),
        ("sum(axes:)", "sum"), ("sum(axis:)", "sum"), ("mean(axes:)", "mean"), ("mean(axis:)", "mean"),
        ("max(axes:)", "max"), ("max(axis:)", "max"), ("min(axes:)", "min"), ("min(axis:)", "min"),
        ("product", "product"), ("variance", "variance"), ("logSumExp", "logSumExp"),
        ("summed(toShape:)", "summed"), ("softmax", "softmax"), ("logSoftmax", "logSoftmax"),
        ("matmul", "matmul"),
        ("reshaped", "reshaped"), ("flattened", "flattened"), ("transposed(_:)", "transposed"),
        ("transposed()", "transposed"), ("expandingDims", "expandingDims"), ("squeezed", "squeezed"),
        ("broadcasted", "broadcasted"), ("concatenate", "concatenate"), ("split(sizes:)", "split"),
        ("split(count:)", "split"), ("stack", "stack"), ("unstacked", "unstacked"), ("slice", "slice"),
        ("padded", "padded"), ("gathering", "gathering"), ("tiled", "tiled"), ("where", "where"),
    ] + spatialOps + normalizationOps + recurrentOps

    /// Fused normalization.
    static let normalizationOps: [(op: String, declaredAs: String)] = [("layerNormalized", "layerNormalized")]

    /// Whole-sequence recurrences (RecurrentOps.swift).
    static let recurrentOps: [(op: String, declaredAs: String)] = [
        ("lstmSequence", "lstmSequence"), ("gruSequence", "gruSequence"),
    ]

    /// Convolution, pooling and dropout.
    static let spatialOps: [(op: String, declaredAs: String)] = [
        ("conv2d", "conv2d"), ("conv2dTranspose", "conv2dTranspose"), ("maxPool2d", "maxPool2d"),
        ("avgPool2d", "avgPool2d"), ("globalAvgPool2d", "globalAvgPool2d"), ("globalMaxPool2d", "globalMaxPool2d"),
        ("dropout", "dropout"), ("batchNormalized", "batchNormalized"),
        ("depthwiseConv2d", "depthwiseConv2d"), ("conv3d", "conv3d"), ("conv3dTranspose", "conv3dTranspose"),
        ("maxPool3d", "maxPool3d"), ("avgPool3d", "avgPool3d"),
    ]

    /// Public tensor-returning functions that no tape differentiates, and why.
    static let notDifferentiable: [String: String] = [
        "equal": "comparison mask", "notEqual": "comparison mask", "less": "comparison mask",
        "lessEqual": "comparison mask", "greater": "comparison mask", "greaterEqual": "comparison mask",
        "argmax": "int32 indices", "argmin": "int32 indices", "oneHot": "built from int32 class ids",
        "cast": "float↔int32 conversion (a float→float cast returns the tensor itself)",
        "zeros": "constant", "ones": "constant",
        "copied": "a fresh constant with its own identity",
        "stopGradient": "blocks gradients by definition",
        "uniform": "random samples", "normal": "random samples", "truncatedNormal": "random samples",
        "bernoulli": "random samples",
    ]

    /// Names of the `public func`s in Sources/KeelTensor that return `Tensor` or `[Tensor]`
    /// (operators by their symbol, `where` without backticks).
    static func publicTensorFunctionsInSources() throws -> Set<String> {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/KeelTensor").resolvingSymlinksInPath()
        guard let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        // `public [static] [prefix] func NAME ... -> Tensor {` (or `[Tensor]`, or a tuple whose
        // first element is a Tensor) with no body brace in between.
        let declaration = try NSRegularExpression(pattern:
            #"public\s+(?:static\s+)?(?:prefix\s+)?func\s+(`?[A-Za-z_][A-Za-z0-9_]*`?|[-+*/]=?)[^{]*?->\s*(?:\[?Tensor\]?|\(\w+:\s*Tensor[^{]*\))\s*\{"#)
        // Compound assignments return nothing: `public static func += (a: inout Tensor, ...`.
        let compoundAssignment = try NSRegularExpression(pattern:
            #"public\s+static\s+func\s+([-+*/]=)\s*\(\s*\w+\s*:\s*inout\s+Tensor"#)
        var names = Set<String>()
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in declaration.matches(in: text, range: range) + compoundAssignment.matches(in: text, range: range) {
                guard let nameRange = Range(match.range(at: 1), in: text) else { continue }
                names.insert(text[nameRange].replacingOccurrences(of: "`", with: ""))
            }
        }
        return names
    }
}
