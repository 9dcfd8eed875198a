import Foundation
import XCTest
import Keel
import KeelTestSupport

/// Constraints inside real training and saving: `fit` leaves every constrained weight inside its
/// set after each step (the same training without them leaves it), and a saved model brings its
/// constraints back onto the loaded variables.
final class WeightConstraintTrainingTests: XCTestCase {
    /// Targets far from what a kernel of norm 0.1 can reach, so the unconstrained kernel grows past it.
    private func problem() -> (x: Tensor, y: Tensor) {
        let x = Tensor(shape: [8, 2], scalars: (0..<16).map { Float(sin(Double($0) * 1.3)) })
        let y = Tensor(shape: [8, 3], scalars: (0..<24).map { Float(3 * cos(Double($0) * 0.7)) })
        return (x, y)
    }

    private func model(constrained: Bool) throws -> Model {
        let dense = constrained
            ? Dense(units: 3, kernelConstraint: MaxNorm(maxValue: 0.1), biasConstraint: NonNeg(), name: "dense")
            : Dense(units: 3, name: "dense")
        let model = try Sequential([InputLayer(batchShape: [nil, 2]), dense])
        try model.compile(optimizer: SGD(learningRate: .constant(0.2)), loss: MeanSquaredError())
        return model
    }

    private func dense(_ model: Model) throws -> Dense {
        try XCTUnwrap(model.layers.compactMap { $0 as? Dense }.first)
    }

    /// The largest L2 norm of a kernel column (each unit's incoming weights).
    private func largestColumnNorm(_ kernel: Tensor) -> Float {
        kernel.squared().sum(axes: [0]).sqrt().scalars.max() ?? 0
    }

    func testFitKeepsConstrainedWeightsInsideTheirSets() throws {
        let (x, y) = problem()
        let free = try model(constrained: false)
        try free.fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false)
        let freeDense = try dense(free)
        XCTAssertGreaterThan(largestColumnNorm(freeDense.kernel.value), 0.1, "the problem must push the kernel past the bound")
        XCTAssertTrue(freeDense.bias?.value.scalars.contains { $0 < 0 } ?? false, "the problem must push a bias below zero")

        let constrained = try model(constrained: true)
        try constrained.fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false)
        let constrainedDense = try dense(constrained)
        XCTAssertLessThanOrEqual(largestColumnNorm(constrainedDense.kernel.value), 0.1 + 1e-6)
        XCTAssertTrue(constrainedDense.bias?.value.scalars.allSatisfy { $0 >= 0 } ?? false)
    }

    func testSavedModelsBringTheirConstraintsBack() throws {
        let (x, y) = problem()
        let original = try model(constrained: true)
        try original.fit(x, y, batchSize: 4, epochs: 1, verbose: 0, shuffle: false)
        let directory = ProjectPaths.temporaryDirectory("keel-constraint-saving")
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in ["h5", "keras"] {
            let path = directory.appendingPathComponent("model.\(format)").path
            try original.save(to: path)
            let loaded = try dense(try Model.load(from: path))
            let kernelConstraint = try XCTUnwrap(loaded.kernel.constraint as? MaxNorm, format)
            XCTAssertEqual(kernelConstraint.maxValue, 0.1, format)
            XCTAssertTrue(loaded.bias?.constraint is NonNeg, format)
        }
    }
}
