import XCTest
@testable import Keel

/// Activations are registered functions rather than classes; each still keeps a contract: it is
/// found under its name, gives the shape its rule says (the input's, for all but GLU), is
/// differentiable where Keras's is, and a layer holding it writes it back into its config.
final class ActivationContractTests: XCTestCase {
    /// The functions that need arguments beyond the input, made with these.
    static let arguments: [String: JSONObject] = ["threshold": ["threshold": 0.5, "default_value": -1.0]]

    func testEveryRegisteredActivationKeepsTheContract() throws {
        let names = Registries.activations.classNames
        XCTAssertFalse(names.isEmpty)
        let x = Tensor(shape: [2, 4], scalars: [-2, -0.5, 0.25, 0.75, 1.5, 3, -1.25, 0])
        for name in names {
            let activation = try Registries.activations.make(name, config: Self.arguments[name] ?? JSONObject())
            XCTAssertEqual(activation.name, name)
            XCTAssertNil(activation.problem, name)
            let tape = GradientTape()
            tape.watch(x)
            let y = tape.record { activation(x) }
            XCTAssertEqual(y.shape, activation.outputShape(for: x.shape).map { $0.map { $0 ?? -1 } }, "\(name): shape")
            XCTAssertTrue(y.scalars.allSatisfy(\.isFinite), "\(name): \(y.scalars)")
            if name != "linear" {
                let gradient = tape.gradient(of: y, wrt: x)
                XCTAssertEqual(gradient?.shape, x.shape, "\(name): gradient shape")
            }
            let dense = Dense(units: 2, activation: activation)
            XCTAssertEqual(dense.config["activation"], activation.configValue, name)
            let rebuilt = try Dense(config: dense.config)
            XCTAssertEqual(rebuilt.activation.name, name)
            XCTAssertEqual(rebuilt.activation.arguments, activation.arguments, name)
        }
    }

    /// Every function `keras.activations` exports in Keras 3.15 (aliases included).
    func testEveryKerasActivationNameIsRegistered() {
        let keras = ["celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
                     "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
                     "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
                     "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold"]
        for name in keras { XCTAssertTrue(Registries.activations.contains(name), name) }
        XCTAssertEqual(try Registries.activations.make("hard_swish").name, "hard_silu")
    }

    func testAnUnknownActivationIsReportedWhenTheLayerIsCalledNotWhenItIsMade() {
        let dense = Dense(units: 2, activation: "relux")
        XCTAssertThrowsError(try dense(Input(shape: [3]))) { error in
            XCTAssertTrue("\(error)".contains("relux") && "\(error)".contains("dense"), "\(error)")
        }
    }

    /// Keras's `threshold(x, threshold, default_value)` has no defaults: the bare name cannot be
    /// called (Keras raises a TypeError), so a config naming it alone is refused with a KeelError
    /// that says what is missing; made in Swift with its arguments, it computes and round-trips.
    func testThresholdCarriesItsArgumentsAndTheBareNameIsRefused() throws {
        XCTAssertThrowsError(try ActivationLayer(config: ["activation": "threshold"])) { error in
            XCTAssertTrue(error is KeelError && "\(error)".contains("default_value"), "\(error)")
        }
        let layer = ActivationLayer(activation: .threshold(0.5, defaultValue: -3))
        XCTAssertEqual(layer(Tensor(shape: [4], scalars: [0.25, 0.5, 0.75, 2])).scalars, [-3, -3, 0.75, 2])
        let written = layer.config["activation"]
        XCTAssertEqual(written?.objectValue?["class_name"], "threshold")
        XCTAssertEqual(written?.objectValue?["config"], ["threshold": 0.5, "default_value": -3.0])
        let rebuilt = try ActivationLayer(config: layer.config)
        XCTAssertEqual(rebuilt(Tensor(shape: [2], scalars: [0.4, 0.6])).scalars, [-3, 0.6])
        XCTAssertThrowsError(try Registries.activations.make("threshold", config: ["threshold": 0.5, "default_value": 0,
                                                                                  "other": 1]))
        XCTAssertNotNil(Activation.named("threshold").problem)
    }

    /// GLU halves the last axis: the Activation layer infers that shape and refuses an odd axis.
    func testGLUHalvesTheLastAxisAndRefusesAnOddOne() throws {
        let layer = ActivationLayer(activation: "glu")
        XCTAssertEqual(try layer(Input(shape: [3, 6])).shape, [nil, 3, 3])
        XCTAssertEqual(try ActivationLayer(activation: "glu")(Input(shape: [3, nil])).shape, [nil, 3, nil])
        XCTAssertThrowsError(try ActivationLayer(activation: "glu")(Input(shape: [5]))) { error in
            XCTAssertTrue(error is KeelError && "\(error)".contains("even"), "\(error)")
        }
        // In layers with an activation field too: Keras traces the call, Keel applies the rule.
        let input = Input(shape: [5])
        let gated = try Dense(units: 8, activation: "glu")(input)
        XCTAssertEqual(gated.shape, [nil, 4])
        let model = try Model(inputs: [input], outputs: [try Dense(units: 3)(gated)])
        XCTAssertEqual(model.forward([Tensor.ones([2, 5])])[0].shape, [2, 3])
        XCTAssertThrowsError(try Dense(units: 7, activation: "glu")(Input(shape: [5]))) { error in
            XCTAssertTrue(error is KeelError && "\(error)".contains("glu"), "\(error)")
        }
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 0, 3])
        let y = layer(x).scalars
        XCTAssertEqual(y.count, 2)
        XCTAssertEqual(y.first ?? 0, 0.5, accuracy: 1e-7)
        XCTAssertEqual(y.last ?? 0, Float(2 / (1 + exp(-3.0))), accuracy: 1e-6)
    }
}
