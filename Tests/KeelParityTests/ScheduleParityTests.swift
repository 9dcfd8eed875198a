import XCTest
import Keel

/// Every case of `schedules.json`: the schedule is built from its Keras class name and
/// constructor arguments through the registry and must give Keras's learning rate at each listed
/// step, and Keras's `get_config()`.
final class ScheduleParityTests: XCTestCase {
    /// Schedules are computed in Double and rounded once; Keras computes in float32, so the two
    /// differ by a few float32 ulps. Relative, because late learning rates are tiny (1e-11), where
    /// an absolute bound would accept anything.
    private let relativeTolerance = 1e-5

    func testEveryScheduleCaseMatchesKeras() throws {
        let cases = try Fixtures.cases("schedules.json")
        var checkedPerClass: [String: Int] = [:]
        for fixture in cases {
            let id = fixture["id"]?.stringValue ?? "<case without id>"
            guard let className = fixture["class_name"]?.stringValue else {
                XCTFail("\(id): no class_name")
                continue
            }
            if check(fixture, id: id, className: className) {
                checkedPerClass[className, default: 0] += 1
            }
        }
        for (className, count) in checkedPerClass.sorted(by: { $0.key < $1.key }) {
            print("ScheduleParity: \(className): \(count) case(s) checked")
        }
        print("ScheduleParity: \(checkedPerClass.values.reduce(0, +)) of \(cases.count) cases checked")
    }

    private func check(_ fixture: JSONObject, id: String, className: String) -> Bool {
        guard Registries.schedules.contains(className) else {
            XCTFail("\(id): schedule class '\(className)' is not registered")
            return false
        }
        let schedule: LearningRateSchedule
        do {
            schedule = try Registries.schedules.make(className, config: fixture["init_args"]?.objectValue ?? [:])
        } catch {
            XCTFail("\(id): building \(className) failed: \(error)")
            return false
        }
        let steps = fixture["steps"]?.arrayValue?.compactMap(\.intValue) ?? []
        let rates = fixture["learning_rates"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        guard !steps.isEmpty, steps.count == rates.count else {
            XCTFail("\(id): fixture steps and learning_rates do not pair up")
            return false
        }
        for (step, expected) in zip(steps, rates) {
            let actual = Double(schedule(step))
            XCTAssertLessThanOrEqual(abs(actual - expected), relativeTolerance * abs(expected) + 1e-30,
                                     "\(id): learning rate at step \(step) is \(actual), expected \(expected)")
        }
        compareConfig(schedule.config, fixture["config"]?.objectValue, id: id)
        return true
    }

    private func compareConfig(_ actual: JSONObject, _ expected: JSONObject?, id: String) {
        guard let expected else { return XCTFail("\(id): fixture has no config") }
        let differing = Set(actual.keys).union(expected.keys).sorted().filter { actual[$0] != expected[$0] }
        let described = differing.map { key in
            "\(key): \(actual[key]?.summary ?? "absent") instead of \(expected[key]?.summary ?? "absent")"
        }
        XCTAssertTrue(differing.isEmpty, "\(id): config differs from Keras's get_config(): \(described.joined(separator: "; "))")
        XCTAssertEqual(actual.keys, expected.keys, "\(id): config keys in another order than Keras's get_config()")
    }
}
