@testable import KeelTensor

/// The broadcast shape pairs every binary op is checked on: equal shapes, a bias row, a scalar
/// on either side, size-1 axes on both sides, and operands of different ranks.
let broadcastShapePairs: [([Int], [Int])] = [
    ([2, 3], [2, 3]),
    ([2, 3], [3]),
    ([2, 3], []),
    ([], [2, 3]),
    ([2, 1, 4], [3, 1]),
    ([4], [2, 1, 4]),
    ([1, 3], [2, 1]),
]

private func binaryCases(_ op: String, second: InputDomain = .symmetric,
                         _ f: @escaping (Tensor, Tensor) -> Tensor) -> [GradientCase] {
    broadcastShapePairs.map { a, b in
        GradientCase(op, "\(a) with \(b)", [input(a), input(b, second)]) { f($0[0], $0[1]) }
    }
}

let arithmeticGradientCases: [GradientCase] = {
    var cases: [GradientCase] = []
    cases += binaryCases("add") { $0 + $1 }
    cases += binaryCases("subtract") { $0 - $1 }
    cases += binaryCases("multiply") { $0 * $1 }
    cases += binaryCases("divide", second: .positive) { $0 / $1 }
    cases.append(GradientCase("divide", "[2,3] with [3], denominators of both signs",
                              [input([2, 3]), input([3], .avoiding(kinks: [0], range: -2...2, margin: 0.5))]) {
        $0[0] / $0[1]
    })
    cases += [
        GradientCase("negate", [input([2, 3])]) { -$0[0] },
        GradientCase("add(Float)", "both sides", [input([2, 3])]) { ($0[0] + 0.5) * (1.5 + $0[0]) },
        GradientCase("subtract(Float)", "both sides", [input([2, 3])]) { ($0[0] - 0.5) * (1.5 - $0[0]) },
        GradientCase("multiply(Float)", "both sides", [input([2, 3])]) { ($0[0] * 3) + (-2 * $0[0]).squared() },
        GradientCase("divide(Float)", "tensor / float", [input([2, 3])]) { $0[0] / 4 },
        GradientCase("divide(Float)", "float / tensor", [input([2, 3], .positive)]) { 3 / $0[0] },
        GradientCase("+=", [input([2, 3]), input([3])]) { var x = $0[0]; x += $0[1]; return x * $0[0] },
        GradientCase("-=", [input([2, 3]), input([3])]) { var x = $0[0]; x -= $0[1]; return x * $0[0] },
        GradientCase("*=", [input([2, 3]), input([3])]) { var x = $0[0]; x *= $0[1]; return x * $0[0] },
        GradientCase("/=", [input([2, 3]), input([3], .positive)]) { var x = $0[0]; x /= $0[1]; return x * $0[0] },
    ]
    cases += [
        // Operands on two grids half a step apart never tie, so each element has one winner.
        GradientCase("minimum", "[2,3] with [2,3]", [input([2, 3], .grid(phase: 0)), input([2, 3], .grid(phase: 0.1))]) {
            $0[0].minimum($0[1])
        },
        GradientCase("minimum", "[2,3] with [3]", [input([2, 3], .grid(phase: 0)), input([3], .grid(phase: 0.1))]) {
            $0[0].minimum($0[1])
        },
        GradientCase("maximum", "[2,3] with [2,3]", [input([2, 3], .grid(phase: 0)), input([2, 3], .grid(phase: 0.1))]) {
            $0[0].maximum($0[1])
        },
        GradientCase("maximum", "[3] with [2,3]", [input([3], .grid(phase: 0.1)), input([2, 3], .grid(phase: 0))]) {
            $0[0].maximum($0[1])
        },
        GradientCase("maximum", "[2,3] with scalar", [input([2, 3], .grid(phase: 0)), input([], .grid(phase: 0.1))]) {
            $0[0].maximum($0[1])
        },
        GradientCase("clipped", "inside and outside [-0.5, 0.5]",
                     [input([3, 4], .avoiding(kinks: [-0.5, 0.5], range: -1.5...1.5))]) {
            $0[0].clipped(min: -0.5, max: 0.5)
        },
    ]
    return cases
}()
