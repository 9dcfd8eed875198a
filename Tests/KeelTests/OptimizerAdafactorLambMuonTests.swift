import Foundation
import XCTest
@testable import Keel

/// What `optimizers_more.json` (one Dense layer: a tall 2-D kernel and a bias) does not reach:
/// Adafactor on a rank-3 variable, Muon on a wide kernel, Muon's choice of the AdamW step, and the
/// configs Keras accepts or Keel refuses. Expected values were computed by Keras 3.15.1 (jax, CPU)
/// from the same inputs, written here as the expressions that make them.
final class OptimizerAdafactorLambMuonTests: XCTestCase {
    func testAdafactorFactorsTheLastTwoAxesOfAHigherRankVariable() {
        let optimizer = Adafactor(learningRate: 0.1, name: "adafactor")
        let kernel = Variable(Tensor(shape: [2, 2, 3], scalars: (0..<12).map { Float($0) / 6 - 1 }), name: "kernel",
                              path: "conv/kernel")
        let first = Tensor(shape: [2, 2, 3], scalars: (0..<12).reversed().map { Float($0 % 5 - 2) / 4 })
        let second = Tensor(shape: [2, 2, 3], scalars: (0..<12).map { cos(Float($0)) })
        optimizer.apply([first], to: [kernel])
        optimizer.apply([second], to: [kernel])
        assertClose(kernel.value.scalars, [-1.0229101, -0.8255972, -0.66493624, -0.5214701, -0.2606533, -0.15016007,
                                           0.0026230812, 0.042519186, 0.33027074, 0.5676435, 0.7798699, 0.9174285])
        XCTAssertEqual(optimizer.variables.map(\.path), ["adafactor/iteration", "adafactor/learning_rate", "adafactor/kernel",
                                                         "adafactor/kernel", "adafactor/conv_kernel_velocity"])
        XCTAssertEqual(optimizer.variables.map(\.shape), [[], [], [2, 2], [2, 3], [2, 2, 3]])
        assertClose(optimizer.variables[2].value.scalars, [0.36030346, 0.30257422, 0.36917925, 0.33806443])
        assertClose(optimizer.variables[3].value.scalars, [0.59523326, 0.25973558, 0.13934759, 0.55636072, 0.43191162,
                                                           0.072593130])
    }

    func testMuonOrthogonalizesAWideKernelWithoutTransposingIt() {
        let optimizer = Muon(learningRate: 0.1, name: "muon")
        let kernel = Variable(Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0) / 3 - 0.8 }), name: "kernel",
                              path: "dense/kernel")
        optimizer.apply([Tensor(shape: [2, 3], scalars: (0..<6).map { sin(Float($0)) })], to: [kernel])
        optimizer.apply([Tensor(shape: [2, 3], scalars: (0..<6).map { cos(Float($0)) })], to: [kernel])
        assertClose(kernel.value.scalars, [-0.8453213, -0.49211478, -0.11516817, 0.17593928, 0.5533731, 0.91199017])
        XCTAssertEqual(optimizer.variables.map(\.path), ["muon/iteration", "muon/learning_rate", "muon/dense_kernel_momentum"])
    }

    func testMuonStepsEmbeddingsExcludedLayersAndVariablesNotOfRankTwoWithAdamW() {
        let optimizer = Muon(learningRate: 0.01, excludeLayers: ["^head/"], adamWeightDecay: nil, name: "muon")
        let variables = [Variable(Tensor.ones([4, 3]), name: "embeddings", path: "Token_Embedding/embeddings"),
                         Variable(Tensor.ones([3, 3]), name: "kernel", path: "body/kernel"),
                         Variable(Tensor.ones([3, 2]), name: "kernel", path: "head/kernel"),
                         Variable(Tensor.ones([1, 3, 3]), name: "kernel", path: "conv/kernel")]
        optimizer.apply(variables.map { Tensor(repeating: 0.5, shape: $0.shape) }, to: variables)
        XCTAssertEqual(optimizer.slots.map(\.path), [
            "muon/Token_Embedding_embeddings_momentum", "muon/Token_Embedding_embeddings_velocity",
            "muon/body_kernel_momentum",
            "muon/head_kernel_momentum", "muon/head_kernel_velocity",
            "muon/conv_kernel_momentum", "muon/conv_kernel_velocity"])
        // weight_decay (0.004) decays the Muon-stepped kernel only; adam_weight_decay is off.
        XCTAssertEqual(optimizer.weightDecay(for: variables[1]), 0.004)
        XCTAssertNil(optimizer.weightDecay(for: variables[0]))
        XCTAssertNil(optimizer.weightDecay(for: variables[3]))
    }

    func testConfigsKerasAcceptsAndOnesKeelRefuses() throws {
        let noDecay = try Registries.optimizers.make("Muon", config: ["weight_decay": nil, "exclude_layers": nil,
                                                                      "rms_rate": nil, "adam_lr_ratio": 0.1])
        XCTAssertEqual(noDecay.config["weight_decay"], .null)
        XCTAssertEqual(noDecay.config["exclude_layers"], [], "Keras writes a null exclude_layers back as []")
        XCTAssertEqual(noDecay.config["rms_rate"], .null)
        XCTAssertEqual(noDecay.config["adam_lr_ratio"], .double(0.1))
        XCTAssertEqual(try Registries.optimizers.make("Muon").config["adam_lr_ratio"], .int(1), "Keras's default is the int 1")
        XCTAssertThrowsError(try Registries.optimizers.make("AdamW", config: ["weight_decay": nil]), "AdamW still needs a number")
        XCTAssertThrowsError(try Registries.optimizers.make("Muon", config: ["exclude_layers": ["dense_("]])) { error in
            XCTAssertTrue("\(error)".contains("'exclude_layers'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.optimizers.make("Muon", config: ["ns_steps": 1_000_000_000])) { error in
            XCTAssertTrue("\(error)".contains("'ns_steps'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.optimizers.make("Adafactor", config: ["clip_threshold": 0.0])) { error in
            XCTAssertTrue("\(error)".contains("'clip_threshold'"), "\(error)")
        }
    }

    func testLambLeavesTheStepUnscaledWhenTheWeightsAreZero() {
        let optimizer = Lamb(learningRate: 0.1)
        let zeros = Variable(Tensor.zeros([2]), name: "bias", path: "dense/bias")
        optimizer.apply([Tensor(shape: [2], scalars: [2, -0.5])], to: [zeros])
        // Trust ratio 1: the first bias-corrected Adam direction is ±1/(1 + ε/|g|), so the step is ∓0.1.
        assertClose(zeros.value.scalars, [-0.1, 0.1])
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-5 * max(1, abs(e)), file: file, line: line) }
    }
}
