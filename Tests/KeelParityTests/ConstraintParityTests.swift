import XCTest
import Keel

/// Every case of `constraints.json`. A `constraint` case builds the constraint from its Keras
/// class name and constructor arguments through the registry and must give Keras's `get_config()`
/// (and rebuild from it) and Keras's projection of the input. A `dense_sgd_step` case builds a
/// `Dense` layer from Keras's config (constraints nested in it), sets Keras's weights, checks the
/// loss and gradients of one batch, applies one SGD step with Keras's gradients and compares the
/// weights after it: the optimizer projects each constrained variable right after its update.
final class ConstraintParityTests: XCTestCase {
    /// The fixtures README's bound for single float32 steps: a norm, a division and a product.
    private let tolerance: Float = 1e-5

    func testEveryConstraintCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "constraints.json") { fixture, className in
            switch fixture["kind"]?.stringValue {
            case "constraint": return constraintDifferences(fixture, className: className)
            case "dense_sgd_step": return denseStepDifferences(fixture, className: className)
            case let other: return ["unknown case kind \(other ?? "null")"]
            }
        }
    }

    /// A class nobody registered is an error naming it, never a pass-through constraint.
    func testAnUnregisteredConstraintIsRefused() {
        XCTAssertThrowsError(try Registries.constraints.make("RadialConstraint", config: [:])) { error in
            XCTAssertTrue("\(error)".contains("RadialConstraint"), "\(error)")
        }
        let config: JSONObject = ["units": 2, "kernel_constraint": ["module": "keras.constraints", "class_name": "RadialConstraint",
                                                                    "config": [:], "registered_name": .null]]
        XCTAssertThrowsError(try Registries.layers.make("Dense", config: config)) { error in
            XCTAssertTrue("\(error)".contains("kernel_constraint"), "\(error)")
        }
    }

    /// A norm axis the weight does not have is refused while the model is built, naming it.
    func testAConstraintAxisOutsideTheWeightIsRefusedAtBuild() throws {
        let layer = try Registries.layers.make("Dense", config: ["units": 2, "kernel_constraint": ["class_name": "MaxNorm",
                                                                                                   "config": ["axis": 2]]])
        XCTAssertThrowsError(try layer.checkInputs([[nil, 3]])) { error in
            XCTAssertTrue("\(error)".contains("axis 2"), "\(error)")
        }
    }

    // MARK: kind "constraint"

    private func constraintDifferences(_ fixture: JSONObject, className: String) -> [String] {
        let constraint: Constraint
        do {
            constraint = try Registries.constraints.make(className, config: fixture["init_args"]?.objectValue ?? [:])
        } catch {
            return ["cannot build \(className) from init_args: \(error)"]
        }
        guard let kerasConfig = fixture["config"]?.objectValue else { return ["the case has no config"] }
        var problems = exactConfigDifferences(constraint.config, kerasConfig)
        do {
            let rebuilt = try Registries.constraints.make(className, config: kerasConfig)
            problems += ParityValues.configDifferences(rebuilt.config, kerasConfig).map { "rebuilt from Keras's config: \($0)" }
        } catch {
            problems.append("cannot rebuild from Keras's config: \(error)")
        }
        guard let input = Fixtures.tensor(fixture["input"]) else { return problems + ["the case has no input"] }
        if let problem = constraint.problem(forWeightShape: input.shape) { return problems + ["refuses the input: \(problem)"] }
        return problems + ParityValues.compare("output", constraint(input), fixture["output"], tolerance: tolerance)
    }

    /// Keras's config as Keras writes it: the same keys in the same order, numbers equal, then the
    /// same text, so an int stays an int (MaxNorm's default `max_value` 2) and nested constraints
    /// keep their key order.
    private func exactConfigDifferences(_ ours: JSONObject, _ keras: JSONObject) -> [String] {
        var problems = ParityValues.configDifferences(ours, keras)
        if ours.keys != keras.keys { problems.append("config keys \(ours.keys), Keras \(keras.keys)") }
        if problems.isEmpty, JSONValue.object(ours).serialized() != JSONValue.object(keras).serialized() {
            problems.append("config text \(JSONValue.object(ours).serialized()), Keras \(JSONValue.object(keras).serialized())")
        }
        return problems
    }

    // MARK: kind "dense_sgd_step"

    private func denseStepDifferences(_ fixture: JSONObject, className: String) -> [String] {
        Naming.reset()
        guard let kerasConfig = fixture["config"]?.objectValue else { return ["the case has no config"] }
        let layer: Layer
        do {
            layer = try Registries.layers.make(className, config: kerasConfig)
        } catch {
            return ["cannot build \(className) from its config: \(error)"]
        }
        var problems = exactConfigDifferences(layer.config, kerasConfig)
        guard let x = Fixtures.tensor(fixture["x"]), let y = Fixtures.tensor(fixture["y"]) else {
            return problems + ["the case has no x or y"]
        }
        do {
            try layer.checkInputs([x.shape.map { $0 }])
        } catch {
            return problems + ["refuses its input: \(error)"]
        }
        layer.buildIfNeeded(inputShapes: [x.shape])
        guard let weightEntries = fixture["weights"]?.arrayValue?.compactMap(\.objectValue),
              let gradientEntries = fixture["gradients"]?.arrayValue?.compactMap(\.objectValue),
              let afterEntries = fixture["weights_after"]?.arrayValue?.compactMap(\.objectValue),
              weightEntries.count == layer.weights.count, gradientEntries.count == layer.weights.count,
              afterEntries.count == layer.weights.count else {
            return problems + ["the case lacks one weight, gradient or weight after the step per layer weight"]
        }
        let paths = layer.weights.map(\.path), kerasPaths = weightEntries.map { $0["path"]?.stringValue ?? "?" }
        guard paths == kerasPaths else { return problems + ["weight paths \(paths), Keras \(kerasPaths)"] }
        let values = weightEntries.compactMap { Fixtures.tensor($0["value"]) }
        guard values.count == weightEntries.count else { return problems + ["a weight has no value"] }
        do { try layer.setWeights(values) } catch { return problems + ["set_weights: \(error)"] }
        problems += constraintsOnVariables(layer, fixture)
        problems += lossAndGradientDifferences(layer, x: x, y: y, fixture)

        let optimizer: Optimizer
        do {
            let spec = fixture["optimizer"]?.objectValue
            optimizer = try Registries.optimizers.make(spec?["class_name"]?.stringValue ?? "(no optimizer)",
                                                       config: spec?["init_args"]?.objectValue ?? [:])
        } catch {
            return problems + ["cannot build the optimizer: \(error)"]
        }
        optimizer.apply(gradientEntries.map { Fixtures.tensor($0["value"]) }, to: layer.weights)
        for (variable, entry) in zip(layer.weights, afterEntries) {
            problems += ParityValues.compare("\(variable.path) after the step", variable.value, entry["value"], tolerance: tolerance)
        }
        return problems
    }

    /// Each variable carries the constraint Keras serialized for it (or none).
    private func constraintsOnVariables(_ layer: Layer, _ fixture: JSONObject) -> [String] {
        guard let expected = fixture["constraints"]?.objectValue else { return ["the case has no constraints"] }
        var problems: [String] = []
        for variable in layer.weights {
            guard let kerasValue = expected[variable.name] else { problems.append("no constraint entry for \(variable.name)"); continue }
            let ours = (variable.constraint as? Constraint)?.serialized() ?? .null
            if !ParityValues.sameValue(ours, kerasValue) {
                problems.append("constraint of \(variable.path) is \(ours.serialized()), Keras \(kerasValue.serialized())")
            }
        }
        return problems
    }

    /// The loss of the batch and its gradients, computed by Keel, against Keras's.
    private func lossAndGradientDifferences(_ layer: Layer, x: Tensor, y: Tensor, _ fixture: JSONObject) -> [String] {
        let loss: Loss
        do {
            let spec = fixture["loss"]?.objectValue
            loss = try Registries.losses.make(spec?["class_name"]?.stringValue ?? "(no loss)", config: spec?["config"]?.objectValue ?? [:])
        } catch {
            return ["cannot build the loss: \(error)"]
        }
        let tape = GradientTape()
        let value = tape.record { loss(y, layer(x)) }
        let gradients = tape.gradient(of: value, wrt: layer.weights)
        var problems = ParityValues.compare("loss", value, fixture["loss_value"], tolerance: tolerance)
        let entries = fixture["gradients"]?.arrayValue?.compactMap(\.objectValue) ?? []
        for (variable, (gradient, entry)) in zip(layer.weights, zip(gradients, entries)) {
            guard let gradient else { problems.append("no gradient for \(variable.path)"); continue }
            problems += ParityValues.compare("gradient of \(variable.path)", gradient, entry["value"], tolerance: tolerance)
        }
        return problems
    }
}
