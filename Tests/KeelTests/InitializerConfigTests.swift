import XCTest
import Keel

/// Initializers and regularizers by name and by Keras config: aliases, serialized form, round
/// trips, validation, and the regularizers' penalties.
final class InitializerConfigTests: XCTestCase {
    func testAliasesResolveToTheKerasClasses() throws {
        let expected: [String: String] = [
            "glorot_uniform": "GlorotUniform", "glorot_normal": "GlorotNormal", "he_normal": "HeNormal",
            "he_uniform": "HeUniform", "lecun_normal": "LecunNormal", "lecun_uniform": "LecunUniform",
            "zeros": "Zeros", "ones": "Ones", "zero": "Zeros", "one": "Ones", "constant": "Constant",
            "random_normal": "RandomNormal", "normal": "RandomNormal", "random_uniform": "RandomUniform",
            "uniform": "RandomUniform", "truncated_normal": "TruncatedNormal", "variance_scaling": "VarianceScaling",
            "orthogonal": "Orthogonal", "identity": "Identity",
        ]
        for (alias, className) in expected {
            let initializer = try Registries.initializers.make(alias)
            XCTAssertEqual(type(of: initializer).kerasClassName, className, alias)
        }
    }

    func testSerializedGlorotUniformIsWhatKeras3Writes() throws {
        let text = try Registries.initializers.make("glorot_uniform").serialized().serialized()
        XCTAssertEqual(text, #"{"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null, "input_axes": null, "output_axes": null}, "registered_name": null}"#)
        XCTAssertEqual(Zeros().serialized().serialized(),
                       #"{"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}"#)
        XCTAssertEqual(RandomUniform().serialized().serialized(),
                       #"{"module": "keras.initializers", "class_name": "RandomUniform", "config": {"seed": null, "minval": -0.05, "maxval": 0.05}, "registered_name": null}"#)
    }

    func testEveryRegisteredInitializerRoundTripsItsConfig() throws {
        for className in Registries.initializers.classNames {
            let first = try Registries.initializers.make(className)
            let again = try Registries.initializers.make(from: first.serialized())
            XCTAssertEqual(JSONValue.object(first.config).serialized(), JSONValue.object(again.config).serialized(), className)
            XCTAssertEqual(type(of: again).kerasClassName, className)
        }
        let seeded = try Registries.initializers.make("HeUniform", config: ["seed": 5, "input_axes": nil, "output_axes": nil])
        XCTAssertEqual(seeded.config["seed"], .int(5))
    }

    func testVarianceScalingConfigReadsKerasSpellings() throws {
        let initializer = try XCTUnwrap(Registries.initializers.make(
            "VarianceScaling", config: ["scale": 2.0, "mode": "fan_avg", "distribution": "normal", "seed": nil]) as? VarianceScaling)
        XCTAssertEqual(initializer.distribution, .truncatedNormal, "Keras reads 'normal' as 'truncated_normal'")
        XCTAssertEqual(initializer.mode, .fanAvg)
        XCTAssertEqual(initializer.config["scale"], .double(2))
        XCTAssertThrowsError(try Registries.initializers.make("VarianceScaling", config: ["mode": "fan_sideways"]))
        XCTAssertThrowsError(try Registries.initializers.make("VarianceScaling", config: ["scale": 0.0]))
        XCTAssertThrowsError(try Registries.initializers.make("GlorotUniform", config: ["input_axes": [0]]))
    }

    func testUnknownInitializerNamesTheClosestOnes() {
        XCTAssertThrowsError(try Registries.initializers.make("glorot_unifrom")) { error in
            XCTAssertTrue("\(error)".contains("glorot_uniform"), "\(error)")
        }
    }

    func testRegularizerAliasesAndDefaultFactors() throws {
        XCTAssertEqual(try Registries.regularizers.make("l1").config, ["l1": 0.01])
        XCTAssertEqual(try Registries.regularizers.make("l2").config, ["l2": 0.01])
        // Keras's `L1L2` class (which the string "l1_l2" names) defaults both factors to 0.
        XCTAssertEqual(try Registries.regularizers.make("l1_l2").config, ["l1": 0.0, "l2": 0.0])
        XCTAssertEqual(L2(l2: 0.5).serialized().serialized(),
                       #"{"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.5}, "registered_name": null}"#)
        XCTAssertThrowsError(try Registries.regularizers.make("L2", config: ["l2": -1.0]))
    }

    func testRegularizerPenalties() {
        let w = Tensor(shape: [2, 2], scalars: [1, -2, 3, -4])
        XCTAssertEqual(L1(l1: 0.1)(w).scalar, 1.0, accuracy: 1e-6)
        XCTAssertEqual(L2(l2: 0.1)(w).scalar, 3.0, accuracy: 1e-6)
        XCTAssertEqual(L1L2(l1: 0.1, l2: 0.1)(w).scalar, 4.0, accuracy: 1e-6)
        XCTAssertEqual(L1L2()(w).scalar, 0)
    }

    func testOrthogonalRegularizerIsZeroForOrthogonalRowsAndFactorForParallelOnes() {
        let orthogonal = Tensor(shape: [2, 3], scalars: [2, 0, 0, 0, 0, 3])
        XCTAssertEqual(OrthogonalRegularizer(factor: 0.3)(orthogonal).scalar, 0, accuracy: 1e-7)
        let parallel = Tensor(shape: [2, 2], scalars: [1, 0, 2, 0])
        // Two rows with cosine 1: factor · ½ · (|1| + |1|) / 1 pair.
        XCTAssertEqual(OrthogonalRegularizer(factor: 0.3)(parallel).scalar, 0.3, accuracy: 1e-6)
        // Columns mode looks at the columns: (1, 2) and (0, 0); a zero column stays zero.
        XCTAssertEqual(OrthogonalRegularizer(factor: 0.3, mode: .columns)(parallel).scalar, 0, accuracy: 1e-7)
    }

    func testRegularizerGradientsFlowToTheWeight() throws {
        let w = Tensor(shape: [3], scalars: [1, -2, 0.5])
        let tape = GradientTape()
        let penalty = tape.record { () -> Tensor in
            tape.watch(w)
            return L1L2(l1: 0.5, l2: 0.25)(w)
        }
        let gradient = try XCTUnwrap(tape.gradient(of: penalty, wrt: w))
        // 0.5·sign(w) + 0.25·2w
        XCTAssertEqual(gradient.scalars, [1.0, -1.5, 0.75])
    }
}
