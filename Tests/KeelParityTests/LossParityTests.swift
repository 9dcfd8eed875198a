import XCTest
import Keel

/// Every case of `losses.json`: the loss is built from `class_name` + `init_args` through the
/// registry and must reproduce Keras's value, the gradient of sum(output) with respect to
/// y_pred (through a GradientTape), and Keras's `get_config()`.
final class LossParityTests: XCTestCase {
    /// Keras computes in float32 too; single ops agree to ~1e-6 relative, so the fixtures README's
    /// 1e-5 (relative, absolute below 1) is the bound for values and gradients alike.
    static let tolerance: Float = 1e-5

    func testEveryLossCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "losses.json", differences)
    }

    /// `losses_more.json`: Dice, Tversky, Circle, CTC and CategoricalGeneralizedCrossEntropy.
    func testEveryMoreLossCaseMatchesKeras() throws {
        try Fixtures.checkEveryCase(of: "losses_more.json", differences)
    }

    /// What differs between Keel and the case; empty when they agree.
    private func differences(from fixture: JSONObject, className: String) -> [String] {
        let loss: Loss
        do {
            loss = try Registries.losses.make(className, config: fixture["init_args"]?.objectValue ?? JSONObject())
        } catch {
            return ["cannot build \(className) from init_args: \(error)"]
        }
        guard let yTrue = ParityValues.tensor(fixture["y_true"]), let yPred = Fixtures.tensor(fixture["y_pred"]) else {
            return ["the case has no y_true or y_pred"]
        }
        let sampleWeight = Fixtures.tensor(fixture["sample_weight"])
        let tape = GradientTape()
        tape.watch(yPred)
        let output = tape.record { loss(yTrue, yPred, sampleWeight: sampleWeight) }
        let gradient = tape.gradient(of: output, wrt: yPred) ?? Tensor.zeros(yPred.shape)

        var problems: [String] = []
        if let expected = Fixtures.tensor(fixture["expected"]) {
            if let problem = ParityValues.mismatch("value", output, expected, tolerance: Self.tolerance) {
                problems.append(problem)
            }
        } else {
            problems.append("the case has no expected value")
        }
        if let expected = Fixtures.tensor(fixture["grad_y_pred"]) {
            if let problem = ParityValues.mismatch("grad_y_pred", gradient, expected, tolerance: Self.tolerance) {
                problems.append(problem)
            }
        } else {
            problems.append("the case has no grad_y_pred")
        }
        if let kerasConfig = fixture["config"]?.objectValue {
            problems += ParityValues.configDifferences(loss.config, kerasConfig)
        } else {
            problems.append("the case has no config")
        }
        return problems
    }
}

/// Fixture values and the comparisons both parity suites use.
enum ParityValues {
    /// A fixture tensor: int32 when every element is written as a JSON integer (class ids),
    /// float32 otherwise.
    static func tensor(_ value: JSONValue?) -> Tensor? {
        guard let value, !value.isNull else { return nil }
        func allIntegers(_ v: JSONValue) -> Bool {
            switch v {
            case .int: return true
            case .array(let items): return items.allSatisfy(allIntegers)
            default: return false
            }
        }
        return allIntegers(value) ? Fixtures.intTensor(value) : Fixtures.tensor(value)
    }

    /// A description of how `actual` differs from `expected` beyond `tolerance` (relative above
    /// magnitude 1, absolute below), or nil when it does not.
    static func mismatch(_ what: String, _ actual: Tensor, _ expected: Tensor, tolerance: Float) -> String? {
        let a = actual.scalars, e = expected.scalars
        guard a.count == e.count, actual.count == 1 || actual.shape == expected.shape else {
            return "\(what): shape \(actual.shape), Keras \(expected.shape)"
        }
        for (i, (x, y)) in zip(a, e).enumerated() where !(abs(x - y) <= tolerance * max(1, abs(y))) {
            return "\(what): element \(i) is \(x), Keras \(y)"
        }
        return nil
    }

    /// `mismatch` for a fixture value that must be there: a case without it is a failure, never a pass.
    static func compare(_ what: String, _ actual: Tensor, _ expected: JSONValue?, tolerance: Float) -> [String] {
        guard let expected = tensor(expected) else { return ["the case has no expected \(what)"] }
        return mismatch(what, actual, expected, tolerance: tolerance).map { [$0] } ?? []
    }

    /// Differences between Keel's config and Keras's: the same keys, numbers equal as numbers,
    /// strings, booleans and nulls equal. `nameBase` compares names without Keras's uniquifying
    /// `_<n>` suffix (which depends on how many objects of the class the process made before).
    static func configDifferences(_ ours: JSONObject, _ keras: JSONObject, nameBase: Bool = false) -> [String] {
        var problems: [String] = []
        let missing = keras.keys.filter { ours[$0] == nil }, extra = ours.keys.filter { keras[$0] == nil }
        if !missing.isEmpty { problems.append("config lacks \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { problems.append("config has extra \(extra.joined(separator: ", "))") }
        for (key, kerasValue) in keras {
            guard let ourValue = ours[key] else { continue }
            let equal = key == "name" && nameBase
                ? baseName(ourValue.stringValue) == baseName(kerasValue.stringValue)
                : sameValue(ourValue, kerasValue)
            if !equal { problems.append("config '\(key)' is \(ourValue.serialized()), Keras \(kerasValue.serialized())") }
        }
        return problems
    }

    static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        switch (a, b) {
        case (.array(let xs), .array(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { sameValue($0, $1) }
        case (.object(let x), .object(let y)):
            return Set(x.keys) == Set(y.keys) && x.keys.allSatisfy { sameValue(x[$0]!, y[$0]!) }
        default:
            return a == b
        }
    }

    private static func baseName(_ name: String?) -> String? {
        name?.replacingOccurrences(of: "_[0-9]+$", with: "", options: .regularExpression)
    }
}
