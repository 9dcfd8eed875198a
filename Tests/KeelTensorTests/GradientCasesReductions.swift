@testable import KeelTensor

private let cube = [2, 3, 4]

private func axesText(_ axes: [Int]?, _ keepDims: Bool) -> String {
    "axes \(axes.map { "\($0)" } ?? "nil")\(keepDims ? " keepDims" : "")"
}

/// One case per (axes, keepDims) of a [2,3,4] input: all axes, single axes (also negative),
/// contiguous and non-contiguous sets, and the empty set (a copy).
private func reductionCases(_ op: String, _ domain: InputDomain = .symmetric,
                            _ variants: [([Int]?, Bool)],
                            _ f: @escaping (Tensor, [Int]?, Bool) -> Tensor) -> [GradientCase] {
    variants.map { axes, keepDims in
        GradientCase(op, axesText(axes, keepDims), [input(cube, domain)]) { f($0[0], axes, keepDims) }
    }
}

private let awayFromZero = InputDomain.avoiding(kinks: [0], range: -1.6...1.6, margin: 0.6)

let reductionGradientCases: [GradientCase] = {
    var cases: [GradientCase] = []
    cases += reductionCases("sum(axes:)", .symmetric, [(nil, false), (nil, true), ([1], false), ([0, 2], true),
                                                       ([-1], false), ([1, 2], false), ([], false)]) {
        $0.sum(axes: $1, keepDims: $2)
    }
    cases += reductionCases("mean(axes:)", .symmetric, [(nil, false), ([0, 2], true), ([1], false)]) {
        $0.mean(axes: $1, keepDims: $2)
    }
    cases += reductionCases("max(axes:)", .grid(phase: 0), [(nil, false), ([1], false), ([0, 2], true), ([2], true)]) {
        $0.max(axes: $1, keepDims: $2)
    }
    cases += reductionCases("min(axes:)", .grid(phase: 0), [(nil, true), ([0], false), ([1, 2], false)]) {
        $0.min(axes: $1, keepDims: $2)
    }
    cases += reductionCases("variance", .symmetric, [(nil, false), ([1], true), ([0, 2], false)]) {
        $0.variance(axes: $1, keepDims: $2)
    }
    cases += reductionCases("logSumExp", .symmetric, [(nil, false), ([1], false), ([0, 2], true), ([-1], false)]) {
        $0.logSumExp(axes: $1, keepDims: $2)
    }
    cases += [
        GradientCase("sum(axis:)", "axis 1", [input(cube)]) { $0[0].sum(axis: 1) },
        GradientCase("mean(axis:)", "axis -1 keepDims", [input(cube)]) { $0[0].mean(axis: -1, keepDims: true) },
        GradientCase("max(axis:)", "axis 0", [input(cube, .grid(phase: 0))]) { $0[0].max(axis: 0) },
        GradientCase("min(axis:)", "axis 2 keepDims", [input(cube, .grid(phase: 0))]) { $0[0].min(axis: 2, keepDims: true) },
        // Products over few elements of magnitude 0.6...1.6, so no product vanishes or explodes.
        GradientCase("product", "[2,3] all axes", [input([2, 3], awayFromZero)]) { $0[0].product() },
        GradientCase("product", "[2,3,2] axis 1", [input([2, 3, 2], awayFromZero)]) { $0[0].product(axes: [1]) },
        GradientCase("product", "[2,3,2] axes [0,2] keepDims", [input([2, 3, 2], awayFromZero)]) {
            $0[0].product(axes: [0, 2], keepDims: true)
        },
        GradientCase("summed(toShape:)", "[2,3,4] to [3,1]", [input(cube)]) { $0[0].summed(toShape: [3, 1]) },
        GradientCase("summed(toShape:)", "[2,3] to [1,3]", [input([2, 3])]) { $0[0].summed(toShape: [1, 3]) },
    ]
    for axis in [-1, 0, 1] {
        cases.append(GradientCase("softmax", "[2,3,4] axis \(axis)", [input(cube)]) { $0[0].softmax(axis: axis) })
        cases.append(GradientCase("logSoftmax", "[2,3,4] axis \(axis)", [input(cube)]) { $0[0].logSoftmax(axis: axis) })
    }
    cases.append(GradientCase("softmax", "[5] default axis", [input([5])]) { $0[0].softmax() })
    cases.append(GradientCase("logSoftmax", "[5] default axis", [input([5])]) { $0[0].logSoftmax() })
    return cases
}()

/// Matrix products: the four transpose combinations, batched, and rank 3 × rank 2.
let matmulGradientCases: [GradientCase] = [
    GradientCase("matmul", "[3,4]·[4,2]", [input([3, 4]), input([4, 2])]) { $0[0].matmul($0[1]) },
    GradientCase("matmul", "[4,3]ᵀ·[4,2]", [input([4, 3]), input([4, 2])]) { $0[0].matmul($0[1], transposeA: true) },
    GradientCase("matmul", "[3,4]·[2,4]ᵀ", [input([3, 4]), input([2, 4])]) { $0[0].matmul($0[1], transposeB: true) },
    GradientCase("matmul", "[4,3]ᵀ·[2,4]ᵀ", [input([4, 3]), input([2, 4])]) {
        $0[0].matmul($0[1], transposeA: true, transposeB: true)
    },
    GradientCase("matmul", "batched [2,3,4]·[2,4,2]", [input([2, 3, 4]), input([2, 4, 2])]) { $0[0].matmul($0[1]) },
    GradientCase("matmul", "batched [2,4,3]ᵀ·[2,2,4]ᵀ", [input([2, 4, 3]), input([2, 2, 4])]) {
        $0[0].matmul($0[1], transposeA: true, transposeB: true)
    },
    GradientCase("matmul", "batched rank 4 [2,1,2,3]·[2,1,3,2]", [input([2, 1, 2, 3]), input([2, 1, 3, 2])]) {
        $0[0].matmul($0[1])
    },
    GradientCase("matmul", "rank 3 × rank 2 [2,3,4]·[4,2]", [input([2, 3, 4]), input([4, 2])]) { $0[0].matmul($0[1]) },
    GradientCase("matmul", "rank 3 × rank 2 [2,3,4]·[2,4]ᵀ", [input([2, 3, 4]), input([2, 4])]) {
        $0[0].matmul($0[1], transposeB: true)
    },
]
