import Foundation

/// How often the TensorBoard callback writes the batch-level scalars (Keras's `update_freq`):
/// never (`"epoch"`, only epoch summaries) or every N training batches (`"batch"` is 1).
public enum TensorBoardUpdateFrequency: Equatable, Sendable, ConfigRepresentable {
    case epoch
    case batches(Int)

    public init(configValue: JSONValue) throws {
        switch configValue.stringValue {
        case "epoch"?: self = .epoch
        case "batch"?: self = .batches(1)
        default:
            guard let count = configValue.intValue, count > 0 else { throw ConfigMismatch("'epoch', 'batch' or a positive integer") }
            self = .batches(count)
        }
    }

    public var configValue: JSONValue {
        switch self {
        case .epoch: return "epoch"
        case .batches(let count): return .int(count)
        }
    }

    public var deferredProblem: String? {
        if case .batches(let count) = self, count <= 0 { return "'epoch', 'batch' or a positive integer, found \(count)" }
        return nil
    }
}

/// Keras's `profile_batch`: 0 (off), one batch, or a range of batches, given as an integer, a
/// pair, or the text "start,stop". Keel accepts it so Keras code runs unchanged, and checks it as
/// Keras does, but does not profile (there is no TensorFlow profiler to start).
public struct ProfileBatchRange: Equatable, Sendable, ConfigRepresentable {
    public var start: Int
    public var stop: Int

    public static let off = ProfileBatchRange(start: 0, stop: 0)

    public init(start: Int, stop: Int) {
        self.start = start
        self.stop = stop
    }

    public init(configValue: JSONValue) throws {
        let bounds: [Int]?
        if let text = configValue.stringValue {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            bounds = parts.contains(nil) ? nil : parts.compactMap { $0 }
        } else if let items = configValue.arrayValue {
            let parts = items.map(\.intValue)
            bounds = parts.contains(nil) ? nil : parts.compactMap { $0 }
        } else {
            bounds = configValue.intValue.map { [$0] }
        }
        let mismatch = ConfigMismatch("a non-negative integer or a pair of positive integers (start, stop)")
        guard let bounds, (1...2).contains(bounds.count) else { throw mismatch }
        self.init(start: bounds[0], stop: bounds[bounds.count - 1])
        if deferredProblem != nil { throw mismatch }
    }

    public var configValue: JSONValue { start == stop ? .int(start) : .array([.int(start), .int(stop)]) }

    public var deferredProblem: String? {
        start < 0 || stop < start ? "a non-negative integer or a pair (start, stop) with start ≤ stop, found \(configValue.serialized())" : nil
    }
}
