import Foundation

/// Horovod's `MetricAverageCallback`: at the end of each epoch every value in the logs (`val_`
/// ones included) becomes its mean over the ranks, so the callbacks after it (CSV log,
/// checkpoints, early stopping, learning-rate reduction) see the job's metrics and decide the
/// same on every rank. `fit` puts one first in a distributed job. Ranks see equal shard sizes
/// (`Dataset.shard`), so the mean of the ranks' means is the mean over the job's samples.
@Component(.plain)
public final class MetricAverage: Callback {
    public override class var kerasClassName: String { "MetricAverage" }

    public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
        try MetricAverage.average(logs)
    }

    /// Replaces every value of `logs` by its mean over the ranks. Every rank must hold the same
    /// keys; a rank with other keys makes every rank throw rather than mix unrelated numbers.
    public static func average(_ logs: Logs) throws {
        guard Distributed.isActive else { return }
        let keys = logs.keys
        let signature = [Double(keys.count), Double(fingerprint(keys.joined(separator: "\n")))]
        let low = try Distributed.allreduce(signature, op: .min, name: "metric average (keys)")
        let high = try Distributed.allreduce(signature, op: .max, name: "metric average (keys)")
        guard low == high else {
            throw KeelError("MetricAverage on rank \(Distributed.rank) of \(Distributed.size)",
                            expected: "the same log keys on every rank", found: "this rank's keys \(keys)")
        }
        let means = try Distributed.allreduce(keys.map { logs[$0]! }, op: .average, name: "metric average")
        for (key, mean) in zip(keys, means) { logs[key] = mean }
    }

    /// FNV-1a of the text, cut to 48 bits so a Double holds it exactly.
    private static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash & 0xffff_ffff_ffff
    }
}
