@testable import KeelTensor

/// Where a gradient case draws its input values from. Piecewise ops get values kept away from
/// their kinks, so the central difference never straddles one.
enum InputDomain {
    /// Uniform in [-1.5, 1.5].
    case symmetric
    /// Uniform in [0.5, 2] (log, sqrt, rsqrt, pow, division by the operand).
    case positive
    /// Uniform in `range`, redrawn while closer than `margin` to any of `kinks`.
    case avoiding(kinks: [Float], range: ClosedRange<Float> = -2...2, margin: Float = 0.1)
    /// A shuffled grid of distinct values 0.2 apart, shifted by `phase`: no two elements of one
    /// input tie, and inputs with phases 0 and 0.1 never tie with each other (max, min, maximum).
    case grid(phase: Float)

    func values(count: Int, _ random: inout TestRandom) -> [Float] {
        switch self {
        case .symmetric:
            return random.uniformValues(count, -1.5, 1.5)
        case .positive:
            return random.uniformValues(count, 0.5, 2)
        case let .avoiding(kinks, range, margin):
            return (0..<count).map { _ in
                while true {
                    let v = random.uniform(range.lowerBound, range.upperBound)
                    if kinks.allSatisfy({ Swift.abs(v - $0) >= margin }) { return v }
                }
            }
        case let .grid(phase):
            // Centered on a whole number of steps, so every grid of one phase is on one lattice.
            let center = (count - 1) / 2
            return random.shuffled((0..<count).map { Float($0 - center) * 0.2 + phase })
        }
    }
}

struct InputSpec {
    var shape: [Int]
    var domain: InputDomain
}

func input(_ shape: [Int], _ domain: InputDomain = .symmetric) -> InputSpec {
    InputSpec(shape: shape, domain: domain)
}

/// One differentiable op applied to float inputs, to be checked against finite differences.
/// `op` names the op in `DifferentiableOpInventory`; `detail` tells apart cases of one op.
struct GradientCase {
    var op: String
    var detail: String
    var inputs: [InputSpec]
    /// Allowed |analytic − numeric| is tolerance + tolerance·max(|analytic|, |numeric|).
    var tolerance: Float = 1e-2
    var epsilon: Float = 1e-2
    var function: ([Tensor]) -> Tensor

    init(_ op: String, _ detail: String = "", _ inputs: [InputSpec], tolerance: Float = 1e-2,
         epsilon: Float = 1e-2, _ function: @escaping ([Tensor]) -> Tensor) {
        self.op = op
        self.detail = detail
        self.inputs = inputs
        self.tolerance = tolerance
        self.epsilon = epsilon
        self.function = function
    }

    init(_ op: String, _ inputs: [InputSpec], tolerance: Float = 1e-2, epsilon: Float = 1e-2,
         _ function: @escaping ([Tensor]) -> Tensor) {
        self.init(op, "", inputs, tolerance: tolerance, epsilon: epsilon, function)
    }

    var name: String { detail.isEmpty ? op : "\(op) \(detail)" }

    /// The case's inputs and the fixed random cotangent R for its output, both seeded by name.
    func makeInputsAndCotangent() -> (inputs: [Tensor], cotangent: Tensor) {
        var random = TestRandom(name: name)
        let inputs = self.inputs.map { spec in
            Tensor(shape: spec.shape, scalars: spec.domain.values(count: ShapeMath.count(spec.shape), &random))
        }
        let output = function(inputs)
        let cotangent = Tensor.testUniform(output.shape, &random, -1, 1)
        return (inputs, cotangent)
    }
}

enum GradientCheck {
    /// L = Σ f(inputs)·R, in Double.
    static func weightedSum(_ output: Tensor, _ cotangent: Tensor) -> Double {
        zip(output.scalars, cotangent.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// dL/d(inputs) by GradientTape, with nil for an input the tape found unconnected.
    static func analyticGradients(_ function: ([Tensor]) -> Tensor, _ inputs: [Tensor],
                                  cotangent: Tensor) -> [Tensor?] {
        let tape = GradientTape()
        let loss = tape.record { () -> Tensor in
            for x in inputs { tape.watch(x) }
            return (function(inputs) * cotangent).sum()
        }
        return tape.gradient(of: loss, wrt: inputs)
    }

    /// Central differences of `scalar(inputs)` per input element. The step actually taken is
    /// measured in Float (x+ε and x−ε are rounded), so the quotient does not carry that error.
    static func numericGradients(_ inputs: [Tensor], epsilon: Float,
                                 _ scalar: ([Tensor]) -> Double) -> [[Double]] {
        inputs.indices.map { i in
            let base = inputs[i].scalars
            return base.indices.map { j in
                var plus = base, minus = base
                plus[j] += epsilon
                minus[j] -= epsilon
                var shifted = inputs
                shifted[i] = Tensor(shape: inputs[i].shape, scalars: plus)
                let high = scalar(shifted)
                shifted[i] = Tensor(shape: inputs[i].shape, scalars: minus)
                let low = scalar(shifted)
                return (high - low) / Double(plus[j] - minus[j])
            }
        }
    }

    /// Messages for the elements where analytic and numeric gradients disagree (at most a few
    /// per input), or for a missing or misshapen analytic gradient.
    static func compare(_ analytic: [Tensor?], _ numeric: [[Double]], shapes: [[Int]], tolerance: Float,
                        nilMeansZero: Bool = false) -> [String] {
        var problems: [String] = []
        for (i, numericValues) in numeric.enumerated() {
            let values: [Float]
            if let gradient = analytic[i] {
                guard gradient.shape == shapes[i] else {
                    problems.append("input \(i): gradient shape \(gradient.shape), expected \(shapes[i])")
                    continue
                }
                values = gradient.scalars
            } else if nilMeansZero {
                values = [Float](repeating: 0, count: numericValues.count)
            } else {
                problems.append("input \(i): the tape returned nil (unconnected)")
                continue
            }
            var reported = 0
            for (j, (a, n)) in zip(values, numericValues).enumerated() {
                let difference = Swift.abs(Double(a) - n)
                let allowed = Double(tolerance) * (1 + Swift.max(Swift.abs(Double(a)), Swift.abs(n)))
                if !(difference <= allowed), reported < 3 {
                    problems.append("input \(i) element \(j): analytic \(a), numeric \(n)")
                    reported += 1
                }
            }
        }
        return problems
    }

    /// First order: the tape's dL/dx against central differences of L.
    static func check(_ testCase: GradientCase) -> [String] {
        let (inputs, cotangent) = testCase.makeInputsAndCotangent()
        let analytic = analyticGradients(testCase.function, inputs, cotangent: cotangent)
        let numeric = numericGradients(inputs, epsilon: testCase.epsilon) {
            weightedSum(testCase.function($0), cotangent)
        }
        return compare(analytic, numeric, shapes: inputs.map(\.shape), tolerance: testCase.tolerance)
    }

    /// Second order: S = Σ_i Σ (dL/dx_i)·R2_i differentiated by an outer tape (so the backward
    /// rules themselves are differentiated), against central differences of S computed from
    /// first-order tape gradients. Linear ops give nil (S does not depend on x): read as zero.
    static func checkSecondOrder(_ testCase: GradientCase) -> [String] {
        let (inputs, cotangent) = testCase.makeInputsAndCotangent()
        var random = TestRandom(name: "second order " + testCase.name)
        let directions = inputs.map { Tensor.testUniform($0.shape, &random, -1, 1) }

        func firstOrderDotDirections(_ xs: [Tensor]) -> Tensor {
            let gradients = analyticGradients(testCase.function, xs, cotangent: cotangent)
            return zip(gradients, directions).reduce(Tensor(0)) { total, pair in
                guard let gradient = pair.0 else { return total }
                return total + (gradient * pair.1).sum()
            }
        }

        let outer = GradientTape()
        let s = outer.record { () -> Tensor in
            for x in inputs { outer.watch(x) }
            return firstOrderDotDirections(inputs)
        }
        let analytic = outer.gradient(of: s, wrt: inputs)
        let numeric = numericGradients(inputs, epsilon: testCase.epsilon) {
            Double(firstOrderDotDirections($0).scalar)
        }
        return compare(analytic, numeric, shapes: inputs.map(\.shape), tolerance: testCase.tolerance,
                       nilMeansZero: true)
    }
}
