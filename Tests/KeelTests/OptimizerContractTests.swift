import XCTest
@testable import Keel

/// The contract every registered optimizer keeps, checked for each class the registry holds
/// (plugins' included when they are loaded): its config round-trips in the same key order, an
/// unknown key is refused by name, and one step builds slots named after the variable and moves it.
final class OptimizerContractTests: XCTestCase {
    func testEveryRegisteredOptimizerKeepsTheContract() throws {
        let names = Registries.optimizers.classNames
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let optimizer = try Registries.optimizers.make(name)
            let config = optimizer.config
            XCTAssertEqual(config.keys.prefix(4), ["name", "learning_rate", "weight_decay", "clipnorm"], name)
            let rebuilt = try Registries.optimizers.make(name, config: config)
            XCTAssertEqual(rebuilt.config.keys, config.keys, "\(name): key order after a round trip")
            XCTAssertEqual(rebuilt.config, config, "\(name): config after a round trip")

            var misspelt = config
            misspelt["learnig_rate"] = 0.1
            XCTAssertThrowsError(try Registries.optimizers.make(name, config: misspelt), name) { error in
                XCTAssertTrue("\(error)".contains("'learnig_rate'") && "\(error)".contains("learning_rate"), "\(error)")
            }

            let kernel = Variable(Tensor(shape: [2, 2], scalars: [1, -2, 3, -4]), name: "kernel", path: "dense/kernel")
            let before = kernel.value.scalars
            optimizer.apply([Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25])], to: [kernel])
            XCTAssertNotEqual(kernel.value.scalars, before, "\(name): one step moves the variable")
            XCTAssertEqual(optimizer.iterations, 1, name)
            for slot in optimizer.slots where slot.path.hasPrefix("\(optimizer.name)/dense_kernel_") {
                XCTAssertEqual(slot.shape, [2, 2], "\(name): slot \(slot.path)")
            }
        }
    }

    func testAValueOutsideItsDeclaredRangeIsAnErrorNamingTheField() {
        XCTAssertThrowsError(try Registries.optimizers.make("SGD", config: ["momentum": 1.5])) { error in
            XCTAssertTrue("\(error)".contains("'momentum'"), "\(error)")
        }
        let swiftMade = SGD(learningRate: 0.1, momentum: -1)
        XCTAssertThrowsError(try swiftMade.check()) { error in
            XCTAssertTrue("\(error)".contains("'momentum'") && "\(error)".contains("-1"), "\(error)")
        }
    }

    func testTheGeneratedInitialiserTakesEveryDeclaredField() {
        let adam = Adam(learningRate: 0.01, beta1: 0.8, amsgrad: true, clipnorm: 1, name: "tuned")
        XCTAssertEqual(adam.beta1, 0.8)
        XCTAssertTrue(adam.amsgrad)
        XCTAssertEqual(adam.config["beta_1"], .double(0.8))
        XCTAssertEqual(adam.config["clipnorm"], .double(1))
        XCTAssertEqual(adam.name, "tuned")
    }
}
