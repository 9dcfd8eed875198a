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
        try Fixtures.checkEveryCase(of: "schedules.json", differences)
    }

    /// What differs between Keel and the case; empty when they agree.
    private func differences(from fixture: JSONObject, className: String) -> [String] {
        let schedule: LearningRateSchedule
        do {
            schedule = try Registries.schedules.make(className, config: fixture["init_args"]?.objectValue ?? [:])
        } catch {
            return ["cannot build \(className) from init_args: \(error)"]
        }
        let steps = fixture["steps"]?.arrayValue?.compactMap(\.intValue) ?? []
        let rates = fixture["learning_rates"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        guard !steps.isEmpty, steps.count == rates.count else { return ["the case's steps and learning_rates do not pair up"] }
        var problems: [String] = []
        for (step, expected) in zip(steps, rates) {
            let actual = Double(schedule(step))
            if !(abs(actual - expected) <= relativeTolerance * abs(expected) + 1e-30) {
                problems.append("learning rate at step \(step) is \(actual), Keras \(expected)")
            }
        }
        guard let kerasConfig = fixture["config"]?.objectValue else { return problems + ["the case has no config"] }
        problems += ParityValues.configDifferences(schedule.config, kerasConfig)
        if schedule.config.keys != kerasConfig.keys {
            problems.append("config keys \(schedule.config.keys), Keras's order \(kerasConfig.keys)")
        }
        return problems
    }
}
