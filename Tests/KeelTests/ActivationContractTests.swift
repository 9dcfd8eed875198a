import XCTest
@testable import Keel

/// Activations are registered functions rather than classes; each still keeps a contract: it is
/// found under its name, keeps the shape of what it is given, is differentiable where Keras's is,
/// and a layer holding it writes that name back into its config.
final class ActivationContractTests: XCTestCase {
    func testEveryRegisteredActivationKeepsTheContract() throws {
        let names = Registries.activations.classNames
        XCTAssertFalse(names.isEmpty)
        let x = Tensor(shape: [2, 3], scalars: [-2, -0.5, 0.25, 0.75, 1.5, 3])
        for name in names {
            let activation = try Registries.activations.make(name)
            XCTAssertEqual(activation.name, name)
            XCTAssertNil(activation.problem, name)
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { activation(x) }
            XCTAssertEqual(y.shape, x.shape, "\(name) changes the shape")
            XCTAssertTrue(y.scalars.allSatisfy(\.isFinite), "\(name): \(y.scalars)")
            if name != "linear" {
                let gradient = tape.gradient(of: y, wrt: x)
                XCTAssertEqual(gradient?.shape, x.shape, "\(name): gradient shape")
            }
            let dense = Dense(units: 2, activation: Activation.named(name))
            XCTAssertEqual(dense.config["activation"], .string(name), name)
        }
    }

    func testAnUnknownActivationIsReportedWhenTheLayerIsCalledNotWhenItIsMade() {
        let dense = Dense(units: 2, activation: "relux")
        XCTAssertThrowsError(try dense(Input(shape: [3]))) { error in
            XCTAssertTrue("\(error)".contains("relux") && "\(error)".contains("dense"), "\(error)")
        }
    }
}
