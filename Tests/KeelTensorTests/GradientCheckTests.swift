import XCTest
@testable import KeelTensor

/// Every gradient case of every op, in one table.
let allGradientCases: [GradientCase] =
    arithmeticGradientCases + elementwiseGradientCases + reductionGradientCases + matmulGradientCases
    + shapeGradientCases + spatialGradientCases + normalizationGradientCases + recurrentGradientCases

/// Every differentiable op's backward rule against central finite differences, first and
/// second order, iterating over the whole table so a failure names its case.
final class GradientCheckTests: XCTestCase {
    func testFirstOrderGradientsMatchFiniteDifferences() {
        XCTAssertGreaterThan(allGradientCases.count, 100)
        for testCase in allGradientCases {
            let problems = GradientCheck.check(testCase)
            if !problems.isEmpty {
                XCTFail("\(testCase.name): \(problems.joined(separator: "; "))")
            }
        }
    }

    /// The backward rules are themselves differentiable (nested tapes): the derivative of
    /// Σ(dL/dx)·v is checked against finite differences of the first-order tape gradient.
    func testSecondOrderGradientsMatchFiniteDifferences() {
        for testCase in allGradientCases {
            let problems = GradientCheck.checkSecondOrder(testCase)
            if !problems.isEmpty {
                XCTFail("second order of \(testCase.name): \(problems.joined(separator: "; "))")
            }
        }
    }

    /// The checker itself must catch the mistakes it is there for: a missing factor of 2, a
    /// wrong sign, a rule that returns nil. `timesTwo` records y = 2x with a given backward.
    func testCheckerRejectsWrongBackwardRules() {
        func timesTwo(backward: @escaping (Tensor) -> [Tensor?]) -> GradientCase {
            GradientCase("timesTwo", [input([2, 3])]) { inputs in
                let x = inputs[0]
                let y = stopGradient(x) * 2
                GradientTape.recordOp(output: y, inputs: [x], backward: backward)
                return y
            }
        }
        XCTAssertEqual(GradientCheck.check(timesTwo { [$0 * 2] }), [], "the correct rule must pass")
        XCTAssertFalse(GradientCheck.check(timesTwo { [$0] }).isEmpty, "a missing factor of 2 must fail")
        XCTAssertFalse(GradientCheck.check(timesTwo { [$0 * -2] }).isEmpty, "a wrong sign must fail")
        XCTAssertFalse(GradientCheck.check(timesTwo { _ in [nil] }).isEmpty, "a nil gradient must fail")
        // A misshapen gradient is refused by the tape itself, which ends the process (a failed op
        // check): KeelCLITests/OpCheckTests covers it in a subprocess.
        XCTAssertFalse(GradientCheck.checkSecondOrder(GradientCase("cube", [input([3])]) { inputs in
            // d(x³)/dx recorded as a constant 3x²: right value, but its own derivative is lost.
            let x = inputs[0]
            let y = stopGradient(x).pow(Float(3))
            GradientTape.recordOp(output: y, inputs: [x]) { g in [g * stopGradient(x).squared() * 3] }
            return y
        }).isEmpty, "a backward rule built from constants must fail the second-order check")
    }

    func testEveryDifferentiableOpHasAGradientCase() {
        let covered = Set(allGradientCases.map(\.op))
        for entry in OpInventory.differentiable where !covered.contains(entry.op) {
            XCTFail("\(entry.op) has no gradient case: add one to a GradientCases*.swift table")
        }
    }

    func testEveryGradientCaseNamesAnInventoriedOp() {
        let known = Set(OpInventory.differentiable.map(\.op))
        for testCase in allGradientCases where !known.contains(testCase.op) {
            XCTFail("gradient case \(testCase.name) is for an op missing from OpInventory.differentiable")
        }
    }

    /// A public function returning tensors that appears in Sources/KeelTensor without being
    /// listed (as differentiable, with a gradient case, or as deliberately not) fails here.
    func testEveryPublicTensorFunctionInTheSourcesIsInventoried() throws {
        let declared = try OpInventory.publicTensorFunctionsInSources()
        XCTAssertTrue(declared.contains("matmul") && declared.contains("+") && declared.contains("where"),
                      "the source scan found too little: \(declared.sorted())")
        let differentiable = Set(OpInventory.differentiable.map(\.declaredAs))
        for name in declared.sorted()
        where !differentiable.contains(name) && OpInventory.notDifferentiable[name] == nil {
            XCTFail("public function \(name) in Sources/KeelTensor is neither in OpInventory.differentiable "
                    + "(with a gradient case) nor in OpInventory.notDifferentiable")
        }
        for entry in OpInventory.differentiable where !declared.contains(entry.declaredAs) {
            XCTFail("OpInventory lists \(entry.op) as declared as \(entry.declaredAs), which the sources do not declare")
        }
    }
}
