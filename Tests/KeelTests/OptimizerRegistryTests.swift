import XCTest
import Keel

/// Optimizers by name: Keras's class names and aliases, clear errors for unknown names and
/// mistyped fields, and an optimizer defined outside Keel found like a built-in.
final class OptimizerRegistryTests: XCTestCase {
    func testKerasClassNamesAndAliasesAreRegistered() throws {
        let aliases = ["SGD": "sgd", "RMSprop": "rmsprop", "Adagrad": "adagrad", "Adadelta": "adadelta", "Adam": "adam",
                       "AdamW": "adamw", "Adamax": "adamax", "Nadam": "nadam", "Ftrl": "ftrl", "Lion": "lion",
                       "Adafactor": "adafactor", "Muon": "muon"]
        for (className, alias) in aliases {
            let byClass = try Registries.optimizers.make(className)
            let byAlias = try Registries.optimizers.make(alias)
            XCTAssertEqual(type(of: byClass).kerasClassName, className)
            XCTAssertEqual(type(of: byAlias).kerasClassName, className, alias)
        }
    }

    /// Keras's `optimizers.get` has no "lamb" (Lamb is missing from its ALL_OBJECTS), only the class.
    func testLambIsFoundByItsClassNameOnly() throws {
        XCTAssertTrue(try Registries.optimizers.make("Lamb") is Lamb)
        XCTAssertFalse(Registries.optimizers.contains("lamb"))
    }

    func testAnUnknownNameListsNearMatches() {
        XCTAssertThrowsError(try Registries.optimizers.make("adma")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown optimizer 'adma'"), message)
            XCTAssertTrue(message.contains("adam"), message)
        }
    }

    func testAMisspelledFieldIsNamedWithTheFieldMeant() {
        XCTAssertThrowsError(try Registries.optimizers.make("Adam", config: ["beta1": 0.5])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("'beta1'"), message)
            XCTAssertTrue(message.contains("beta_1"), message)
        }
    }

    func testAFieldOfTheWrongTypeIsNamed() {
        XCTAssertThrowsError(try Registries.optimizers.make("SGD", config: ["momentum": "fast"])) { error in
            XCTAssertTrue("\(error)".contains("'momentum'"), "\(error)")
        }
        XCTAssertThrowsError(try Registries.optimizers.make("Adam", config: ["learning_rate": "fast"])) { error in
            XCTAssertTrue("\(error)".contains("'learning_rate'"), "\(error)")
        }
    }

    func testTheLegacyDecayFieldIsAcceptedAndIgnored() throws {
        let optimizer = try Registries.optimizers.make("Adam", config: ["name": "Adam", "learning_rate": 0.001, "decay": 0.0])
        XCTAssertNil(optimizer.config["decay"])
    }

    func testAnOptimizerDefinedOutsideKeelIsFoundByName() throws {
        if !Registries.optimizers.contains("SignDescent") {
            try Registries.optimizers.register(SignDescent.self, aliases: ["sign_descent"], origin: "test")
        }
        XCTAssertEqual(Registries.optimizers.entry(named: "sign_descent")?.origin, "test")
        let optimizer = try Registries.optimizers.make("sign_descent", config: ["learning_rate": 0.5])
        XCTAssertTrue(optimizer is SignDescent)
        let w = Variable(Tensor(shape: [2], scalars: [0, 0]), name: "w")
        optimizer.apply([Tensor(shape: [2], scalars: [-3, 0.1])], to: [w])
        XCTAssertEqual(w.value.scalars, [0.5, -0.5])
    }
}

/// Moves each weight by the learning rate against the sign of its gradient; uses only the
/// base template (no slots).
private final class SignDescent: Optimizer {
    override class var kerasClassName: String { "SignDescent" }
    override class var defaultName: String { "sign_descent" }

    override func update(_ variable: Variable, gradient: Tensor, learningRate: Float) {
        updateElements(of: variable, gradient: gradient) { n, w, g in
            var i = 0
            while i < n {
                w[i] -= g[i] > 0 ? learningRate : (g[i] < 0 ? -learningRate : 0)
                i &+= 1
            }
        }
    }
}
